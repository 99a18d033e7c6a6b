package main

import (
	"bytes"
	"context"
	"database/sql"
	"image"
	_ "image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/xuri/excelize/v2"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// decodeQR reads a QR code image back to its text.
func decodeQR(t *testing.T, png []byte) string {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(png))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decode qr: %v", err)
	}
	return res.GetText()
}

func TestInviteAllWritesAPrintableWorkbook(t *testing.T) {
	dir := t.TempDir()
	dbPath, book, qrDir := filepath.Join(dir, "r.db"), filepath.Join(dir, "invites.xlsx"), filepath.Join(dir, "qr")
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath, store.Options{Now: func() time.Time { return april20 }})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetMeta(ctx, "bot_username", "reform_test_bot"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// 各街道办 with two members: the members get invites, the group none.
	p := plan.Default().Clone()
	for i := range p.Units {
		if p.Units[i].Name == "各街道办" {
			p.Units[i].Members = []string{"区编办", "区住房建设局"}
		}
	}
	planFile := filepath.Join(dir, "plan.yaml")
	if err := p.WriteFile(planFile); err != nil {
		t.Fatal(err)
	}
	want := reportingUnits(p)
	if slices.Contains(want, "各街道办") || !slices.Contains(want, "区编办") {
		t.Fatalf("reporting units %v: want members, not the group", want)
	}

	out, stderr, code := runCmd(t, nil, april20, "invite", "--all", "--db", dbPath, "--plan", planFile, "-o", book, "--qr", qrDir, "--days", "7")
	if code != 0 {
		t.Fatalf("invite --all: exit %d: %s", code, stderr)
	}
	if got := strings.Count(out, "\n"); got != len(want)+1 {
		t.Errorf("stdout has %d lines, want a header and %d units:\n%s", got, len(want), out)
	}

	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(inviteSheet)
	if err != nil {
		t.Fatal(err)
	}
	var units []string
	for _, r := range rows[3:] {
		units = append(units, r[1])
	}
	if !slices.Equal(units, want) {
		t.Errorf("workbook units = %v\nwant %v", units, want)
	}
	first := rows[3]
	link, code0, _ := strings.Cut(first[3], "\n")
	if !strings.HasPrefix(link, "https://t.me/reform_test_bot?start=") || !strings.Contains(code0, "/start ") {
		t.Fatalf("first row's link cell = %q", first[3])
	}
	if first[4] != "2017-04-27 10:00" {
		t.Errorf("expiry = %q, want 2017-04-27 10:00 (7 days, office time)", first[4])
	}
	pics, err := f.GetPictures(inviteSheet, "C4")
	if err != nil || len(pics) != 1 {
		t.Fatalf("C4 pictures: %d, %v", len(pics), err)
	}
	if got := decodeQR(t, pics[0].File); got != link {
		t.Errorf("workbook QR decodes to %q, want %q", got, link)
	}
	png, err := os.ReadFile(filepath.Join(qrDir, "01-"+want[0]+".png"))
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeQR(t, png); got != link {
		t.Errorf("PNG QR decodes to %q, want %q", got, link)
	}
	files, _ := os.ReadDir(qrDir)
	if len(files) != len(want) {
		t.Errorf("%d PNG files, want %d", len(files), len(want))
	}

	// The code in the link binds a contact of that unit.
	db, err = store.Open(ctx, dbPath, store.Options{Now: func() time.Time { return april20.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, codeText, _ := strings.Cut(link, "start=")
	var c store.Contact
	err = db.Update(ctx, func(tx *store.Tx) error {
		c, err = tx.RedeemInvite(ctx, codeText, store.Contact{UserID: 7, ChatID: 7, Name: "张三"}, store.AttemptLimit{})
		return err
	})
	if err != nil || c.Unit != want[0] {
		t.Errorf("redeeming the first code: %+v, %v; want a contact of %s", c, err, want[0])
	}
	db.Close()

	// --unbound: the unit just bound is left out.
	out, stderr, code = runCmd(t, nil, april20, "invite", "--all", "--unbound", "--db", dbPath, "--plan", planFile, "-o", book)
	if code != 0 || strings.Count(out, "\n") != len(want) || strings.Contains(out, " "+want[0]+" ") {
		t.Errorf("invite --all --unbound: exit %d, %d lines, want %d without %s:\n%s%s", code, strings.Count(out, "\n"), len(want), want[0], out, stderr)
	}
}

func TestInviteAllRefusesBadUse(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no output", []string{"invite", "--all", "--db", db}, "needs -o"},
		{"not a workbook", []string{"invite", "--all", "-o", "invites.txt", "--db", db}, "must name a .xlsx file"},
		{"with a unit", []string{"invite", "--all", "区编办", "-o", "x.xlsx", "--db", db}, "name no unit"},
		{"qr without all", []string{"invite", "区编办", "--qr", "d", "--db", db}, "go with --all"},
		{"unbound without all", []string{"invite", "区编办", "--unbound", "--db", db}, "go with --all"},
		{"no username", []string{"invite", "--all", "-o", filepath.Join(t.TempDir(), "x.xlsx"), "--db", db}, "username is not known"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runCmd(t, nil, april20, tc.args...)
			if code == 0 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, %q; want an error saying %q", code, stderr, tc.want)
			}
		})
	}
}

// Where the workbook cannot be written, no invite is made: codes nobody
// received would stay valid for weeks. The error names the file, not a
// temporary one.
func TestInviteAllMakesNothingItCannotWrite(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "r.db")
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath, store.Options{Now: func() time.Time { return april20 }})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetMeta(ctx, "bot_username", "reform_test_bot"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	book := filepath.Join(dir, "no", "such", "invites.xlsx")
	_, stderr, code := runCmd(t, nil, april20, "invite", "--all", "--db", dbPath, "-o", book)
	if code == 0 || !strings.Contains(stderr, "cannot write "+book) || strings.Contains(stderr, ".reformbot-") {
		t.Errorf("exit %d, %q; want one error naming %s", code, stderr, book)
	}
	raw, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(`SELECT count(*) FROM invites`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d invites made, %v; want none", n, err)
	}
}
