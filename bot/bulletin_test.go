package bot

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/schedule"
	"github.com/luohu/reformbot/store"
)

// withBulletins gives the bot the scheduler's bulletins, as serve does.
func withBulletins(t *testing.T) harnessOption {
	return func(h *harness) {
		cfg := schedule.DefaultConfig(plan.Monthly)
		cfg.Location, cfg.Issuer = shanghai, "测试区委改革办"
		// Bulletin reads through the transaction it is given; no Store needed.
		s, err := schedule.New(cfg, nil, h.plan, Compose{}, quietLog(), h.clock.Now)
		if err != nil {
			t.Fatal(err)
		}
		h.cfg.Bulletins = s
	}
}

func docxText(t *testing.T, f *fakeapi.File) string {
	t.Helper()
	if f == nil {
		t.Fatal("no document")
	}
	z, err := zip.NewReader(bytes.NewReader(f.Data), int64(len(f.Data)))
	if err != nil {
		t.Fatalf("%s is not a docx: %v", f.Name, err)
	}
	for _, zf := range z.File {
		if zf.Name == "word/document.xml" {
			r, _ := zf.Open()
			defer r.Close()
			b, _ := io.ReadAll(r)
			return string(b)
		}
	}
	t.Fatalf("%s has no document.xml", f.Name)
	return ""
}

func TestBulletinCommand(t *testing.T) {
	h := newHarness(t, withBulletins(t))
	boss := fakeapi.User{ID: 9001}
	u := fakeapi.User{ID: 1001, FirstName: "张三"}
	h.bind(boss, store.RoleOffice, "")
	h.bind(u, store.RoleContact, "区编办")
	report(t, h, u, "2.1.1", "存在困难需协调", "编制不足，需区领导协调。")

	// On 20 April the latest prompt was March's.
	m := h.say(boss, "/bulletin", "2017年3月 改革进展情况通报（2017年第1期）")
	if m.Method != "sendDocument" || m.Document == nil || m.Document.Name != "改革进展通报-2017年第1期.docx" {
		t.Fatalf("answer = %v, document %+v", m, m.Document)
	}
	if doc := docxText(t, m.Document); !strings.Contains(doc, "测试区委改革办") || !strings.Contains(doc, "（2017年第1期）") {
		t.Error("March's bulletin lacks its issuer or number")
	}
	m = h.say(boss, "/bulletin 2017-04", "2017年4月 改革进展情况通报（2017年第2期）")
	if doc := docxText(t, m.Document); !strings.Contains(doc, "区编办）：“编制不足，需区领导协调。”") {
		t.Errorf("April's bulletin lacks 区编办's difficulty:\n%s", doc)
	}
	h.say(boss, "/bulletin 2017-3", "（2017年第1期）")
	h.say(boss, "/bulletin 2017-Q2", "期次格式不对，请写成如：/bulletin 2026-11")
	h.say(boss, "/bulletin 下个月", "期次格式不对")
	// A period to come: refused, and no number is taken for it.
	h.say(boss, "/bulletin 2099-04", "2099年4月尚未开始")
	h.say(boss, "/bulletin 2017-03", "（2017年第1期）")
	h.say(u, "/bulletin", textOfficeOnly)
}

func TestBulletinCommandOff(t *testing.T) {
	h := newHarness(t)
	boss := fakeapi.User{ID: 9001}
	h.bind(boss, store.RoleOffice, "")
	h.say(boss, "/bulletin", "本机器人未启用通报。")
}
