package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/skip2/go-qrcode"
	"github.com/xuri/excelize/v2"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// The sheet of invites for a meeting: one row per unit that reports, with
// its QR code, so that each unit's contact scans their own code from the
// printed page (or the office cuts the page into slips).

// unitInvite is one unit's fresh invite.
type unitInvite struct {
	Unit    string
	Link    string
	Code    string
	Expires time.Time // in the office's zone
	QR      []byte    // PNG of Link
}

// reportingUnits are the units that report under p, in the plan's unit
// order: a group whose members are listed stands for them (the members are
// listed, the group is not); a group without members reports itself.
// Units named by measures but not listed in the plan's units follow.
func reportingUnits(p *plan.Plan) []string {
	assigned := map[string]bool{}
	var order []string
	for _, a := range p.Assignments() {
		if !assigned[a.Unit] {
			assigned[a.Unit] = true
			order = append(order, a.Unit)
		}
	}
	var out []string
	listed := map[string]bool{}
	for _, name := range p.UnitNames() {
		if assigned[name] {
			out = append(out, name)
			listed[name] = true
		}
	}
	for _, name := range order {
		if !listed[name] {
			out = append(out, name)
		}
	}
	return out
}

// qrSize is the QR image's side in pixels: at the workbook's scale it
// prints about 4 cm wide, which any phone camera reads at arm's length.
const qrSize = 320

// createUnitInvites makes one fresh invite per unit, with its link and QR
// code. Earlier invites stay valid until used or expired.
func createUnitInvites(ctx context.Context, db *store.DB, username string, units []string, ttl time.Duration, loc *time.Location) ([]unitInvite, error) {
	out := make([]unitInvite, 0, len(units))
	for _, unit := range units {
		code, inv, err := db.CreateInvite(ctx, store.RoleContact, unit, ttl)
		if err != nil {
			return nil, err
		}
		link := fmt.Sprintf("https://t.me/%s?start=%s", username, code)
		// Medium error correction (15%) survives a smudged print or a fold
		// and keeps the modules large.
		png, err := qrcode.Encode(link, qrcode.Medium, qrSize)
		if err != nil {
			return nil, fmt.Errorf("qr code for %s: %w", unit, err)
		}
		out = append(out, unitInvite{Unit: unit, Link: link, Code: code, Expires: inv.ExpiresAt.In(loc), QR: png})
	}
	return out, nil
}

// withoutContacts keeps the units that have no active contact.
func withoutContacts(ctx context.Context, db *store.DB, units []string) ([]string, error) {
	contacts, err := db.ActiveContacts(ctx, store.RoleContact)
	if err != nil {
		return nil, err
	}
	bound := map[string]bool{}
	for _, c := range contacts {
		bound[c.Unit] = true
	}
	var out []string
	for _, u := range units {
		if !bound[u] {
			out = append(out, u)
		}
	}
	return out, nil
}

const inviteSheet = "邀请码"

// inviteWorkbook lays the invites out for printing on A4: a title, then
// per unit its name, its QR code and, for a contact who cannot scan, the
// link and the code to send the bot.
func inviteWorkbook(title string, invites []unitInvite) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", inviteSheet); err != nil {
		return nil, err
	}
	s := inviteSheet
	titleStyle, _ := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Size: 14},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	})
	head, _ := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EAED"}},
		Border:    borders(),
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
	})
	unitStyle, _ := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Size: 14},
		Border:    borders(),
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
	})
	cell, _ := f.NewStyle(&excelize.Style{
		Border:    borders(),
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	})
	centred, _ := f.NewStyle(&excelize.Style{
		Border:    borders(),
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
	})
	small, _ := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Size: 9},
		Border:    borders(),
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	})

	f.MergeCell(s, "A1", "E1")
	f.SetCellValue(s, "A1", title+" 单位联络人绑定邀请码")
	f.SetCellStyle(s, "A1", "E1", titleStyle)
	f.SetRowHeight(s, 1, 48)
	f.MergeCell(s, "A2", "E2")
	f.SetCellValue(s, "A2", "请本单位联络人用手机相机扫描本单位二维码，在 Telegram 中打开机器人并点“开始”，即完成绑定。每个码仅限一人使用一次，请勿转发。")
	f.SetCellStyle(s, "A2", "E2", cell)
	f.SetRowHeight(s, 2, 36)
	for i, h := range []string{"序号", "单位", "二维码", "邀请链接（无法扫码时使用）", "有效期至"} {
		c, _ := excelize.CoordinatesToCellName(i+1, 3)
		f.SetCellValue(s, c, h)
	}
	f.SetCellStyle(s, "A3", "E3", head)
	f.SetRowHeight(s, 3, 24)
	for col, w := range map[string]float64{"A": 5, "B": 16, "C": 24, "D": 36, "E": 11} {
		f.SetColWidth(s, col, col, w)
	}
	// The QR image is 320 px scaled to 160 px (about 4.2 cm); the row is
	// 128 pt, which is 170 px, so the code sits inside its cell.
	const scale = 0.5
	for i, inv := range invites {
		row := i + 4
		at := func(col string) string { return fmt.Sprintf("%s%d", col, row) }
		f.SetRowHeight(s, row, 128)
		f.SetCellValue(s, at("A"), i+1)
		f.SetCellValue(s, at("B"), inv.Unit)
		f.SetCellValue(s, at("D"), inv.Link+"\n\n或向机器人发送：\n/start "+inv.Code)
		f.SetCellValue(s, at("E"), inv.Expires.Format("2006-01-02 15:04"))
		f.SetCellStyle(s, at("A"), at("A"), centred)
		f.SetCellStyle(s, at("B"), at("B"), unitStyle)
		f.SetCellStyle(s, at("C"), at("C"), cell)
		f.SetCellStyle(s, at("D"), at("D"), small)
		f.SetCellStyle(s, at("E"), at("E"), centred)
		err := f.AddPictureFromBytes(s, at("C"), &excelize.Picture{
			Extension: ".png",
			File:      inv.QR,
			Format: &excelize.GraphicOptions{
				AltText: inv.Unit + " 邀请二维码", ScaleX: scale, ScaleY: scale,
				OffsetX: 10, OffsetY: 5, LockAspectRatio: true, Positioning: "oneCell",
			},
		})
		if err != nil {
			return nil, fmt.Errorf("workbook: qr code of %s: %w", inv.Unit, err)
		}
	}
	// Print: A4 portrait, one page wide, the header row on every page.
	portrait, fitWidth, fitHeight, a4 := "portrait", 1, 0, 9
	if err := f.SetPageLayout(s, &excelize.PageLayoutOptions{
		Size: &a4, Orientation: &portrait, FitToWidth: &fitWidth, FitToHeight: &fitHeight,
	}); err != nil {
		return nil, err
	}
	fit := true
	f.SetSheetProps(s, &excelize.SheetPropsOptions{FitToPage: &fit})
	f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + s + "'!$3:$3", Scope: s})
	f.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: 3, TopLeftCell: "A4", ActivePane: "bottomLeft"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func borders() []excelize.Border {
	var out []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		out = append(out, excelize.Border{Type: side, Color: "9AA0A6", Style: 1})
	}
	return out
}

// writeQRFiles writes each unit's QR code as DIR/NN-单位.png, numbered as
// in the workbook.
func writeQRFiles(dir string, invites []unitInvite) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i, inv := range invites {
		name := fmt.Sprintf("%02d-%s.png", i+1, fileSafe(inv.Unit))
		if err := os.WriteFile(filepath.Join(dir, name), inv.QR, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// fileSafe keeps a unit name usable as a file name on any system.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < 0x20 {
			return '_'
		}
		return r
	}, s)
}

// inviteAll is `invite --all`: a fresh invite for every unit that reports,
// written as a workbook (and QR PNGs), with a table of units on stdout.
func inviteAll(ctx context.Context, env *Env, c *common, ttl time.Duration, output, qrDir string, onlyUnbound bool) error {
	db, loc, err := c.openIn(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := c.loadPlan(ctx, db)
	if err != nil {
		return err
	}
	username := botUsername(ctx, env, db)
	if username == "" {
		// A QR code needs a link, and a link needs the bot's name.
		return fmt.Errorf("the bot's username is not known yet: run serve once, or set TELEGRAM_BOT_TOKEN, then try again")
	}
	units := reportingUnits(p)
	if len(units) == 0 {
		return fmt.Errorf("the plan names no unit that reports")
	}
	if onlyUnbound {
		if units, err = withoutContacts(ctx, db, units); err != nil {
			return err
		}
		if len(units) == 0 {
			fmt.Fprintln(env.Stderr, "every unit that reports has an active contact: no invites made")
			return nil
		}
	}
	// Invites are made only when they can be handed out.
	if err := checkOutput(output); err != nil {
		return err
	}
	if qrDir != "" {
		if err := os.MkdirAll(qrDir, 0o755); err != nil {
			return fmt.Errorf("cannot write QR codes to %s: %w", qrDir, errors.Unwrap(err))
		}
	}
	invites, err := createUnitInvites(ctx, db, username, units, ttl, loc)
	if err != nil {
		return err
	}
	book, err := inviteWorkbook(p.Title, invites)
	if err != nil {
		return err
	}
	if err := writeOutput(env, output, book); err != nil {
		return err
	}
	if qrDir != "" {
		if err := writeQRFiles(qrDir, invites); err != nil {
			return err
		}
	}
	var tab table
	tab.row("#", "UNIT", "EXPIRES")
	for i, inv := range invites {
		tab.row(fmt.Sprint(i+1), inv.Unit, inv.Expires.Format("2006-01-02 15:04 MST"))
	}
	if err := tab.write(env.Stdout); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "%d single-use invites written to %s", len(invites), output)
	if qrDir != "" {
		fmt.Fprintf(env.Stderr, " and %s", qrDir)
	}
	fmt.Fprintln(env.Stderr, "; earlier invites stay valid until used or expired")
	return nil
}
