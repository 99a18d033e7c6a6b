package digest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"testing"

	"github.com/luohu/reformbot/digest/chartfont"
	"github.com/luohu/reformbot/plan"
)

// CHART_PNG=path writes the test chart there, to look at.
func renderChart(t *testing.T, d *Digest) (image.Image, []byte, chartLayout) {
	t.Helper()
	b, err := d.PNG()
	if err != nil {
		t.Fatal(err)
	}
	if path := os.Getenv("CHART_PNG"); path != "" {
		os.WriteFile(path, b, 0o644)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	l, err := d.layout()
	if err != nil {
		t.Fatal(err)
	}
	return img, b, l
}

func rgbaAt(img image.Image, x, y int) color.RGBA {
	r, g, b, a := img.At(x, y).RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

func TestPNG(t *testing.T) {
	d := Build(testInput(t))
	img, b, l := renderChart(t, d)
	if got := img.Bounds().Size(); got.X != ChartWidth || got != l.size {
		t.Errorf("size = %v, want %v", got, l.size)
	}
	if len(l.rows) != 5 {
		t.Fatalf("%d projects, want 5", len(l.rows))
	}
	wantLights := []Light{Red, Red, Yellow, Green, Yellow}
	for i, r := range l.rows {
		if r.light != wantLights[i] {
			t.Errorf("project %d light = %s, want %s", i, r.light, wantLights[i])
		}
		if r.fill.Dx() > 2 {
			if got := rgbaAt(img, r.fill.Min.X+2, r.fill.Min.Y+fillH/2); got != colLight[r.light] {
				t.Errorf("project %s 填报率 colour = %v, want %v", r.id, got, colLight[r.light])
			}
		}
		// Past the bar's end the grey track shows, unless the bar is full.
		if r.fill.Max.X < r.fillTrack.Max.X-4 {
			if got := rgbaAt(img, r.fillTrack.Max.X-3, r.fill.Min.Y+fillH/2); got != colTrack {
				t.Errorf("project %s track colour = %v, want %v", r.id, got, colTrack)
			}
		}
	}
	// 1.2 is 1 of 3 pairs reported: a third of the track.
	if w, full := l.rows[1].fill.Dx(), l.rows[1].fillTrack.Dx(); w != full/3 {
		t.Errorf("1.2 填报率 bar width = %d, want %d", w, full/3)
	}
	again, _ := d.PNG()
	if !bytes.Equal(b, again) {
		t.Error("PNG is not deterministic")
	}
}

// TestChartCompletionIsNotReporting: 完成率 counts measures whose lead units
// report 已完成, not pairs reported.
func TestChartCompletionIsNotReporting(t *testing.T) {
	d := Build(testInput(t))
	c := d.completion()
	var measures int
	for _, m := range d.Measures {
		if len(m.Units) > 0 {
			measures++
		}
	}
	if c.all != measures {
		t.Errorf("completion counts %d measures, want %d", c.all, measures)
	}
	for _, m := range d.Measures {
		done := true
		for _, u := range m.Units {
			if u.Role == plan.Lead && u.Status != plan.Done {
				done = false
			}
		}
		if done && len(m.Units) > 0 {
			t.Logf("done: %s", m.ID)
		}
	}
	if c.done >= d.Totals.Reported {
		t.Errorf("完成 %d is not below 已填报 %d: the two rates are not distinct", c.done, d.Totals.Reported)
	}
}

// TestChartDrawsChinese: the project's name is drawn in real glyphs: the
// label's box has ink, and two different characters do not come out as
// the same box (which is what a font without them, tofu, draws).
func TestChartDrawsChinese(t *testing.T) {
	d := Build(testInput(t))
	img, _, l := renderChart(t, d)
	r := l.rows[0]
	box := image.Rectangle{Min: r.labelAt, Max: r.labelAt.Add(image.Pt(l.faces.label.width(r.label), l.faces.label.height))}
	if ink := inked(img, box); ink < 200 {
		t.Errorf("project label %q has %d dark pixels: not drawn", r.label, ink)
	}
	fonts, err := chartfont.Load()
	if err != nil {
		t.Fatal(err)
	}
	face, _ := newTextFace(fonts, labelSize, false)
	glyph := func(s string) *image.RGBA {
		g := image.NewRGBA(image.Rect(0, 0, 40, 40))
		fill(g, g.Bounds(), colBackground)
		face.draw(g, image.Pt(4, 4), s, colText)
		return g
	}
	gai, ge := glyph("改"), glyph("革")
	if inked(gai, gai.Bounds()) < 30 || bytes.Equal(gai.Pix, ge.Pix) {
		t.Error("改 and 革 are blank or the same box: the CJK font is not drawing")
	}
	// Every character of the default plan's project names, and of the
	// chart's own words, is in the embedded font.
	var buf = face.buf
	words := l.title + l.summary[0] + l.summary[1] + "填报率完成率牵头单位已完成任务数红黄绿有困难或填报不足一半滞后缺报停滞全部无"
	for _, c := range plan.Default().Categories {
		for _, p := range c.Projects {
			words += p.Title
		}
	}
	for _, ch := range words {
		if ch < 0x2E80 {
			continue
		}
		if g, err := fonts.CJK.GlyphIndex(&buf, ch); err != nil || g == 0 {
			t.Errorf("the embedded font has no %q", ch)
		}
	}
}

func inked(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if c := rgbaAt(img, x, y); int(c.R)+int(c.G)+int(c.B) < 3*128 {
				n++
			}
		}
	}
	return n
}

func TestPNGWithoutProjects(t *testing.T) {
	d := Build(Input{Period: "2017-04"})
	if _, err := d.PNG(); err != nil {
		t.Fatal(err)
	}
}

// A chart Telegram would shrink or refuse as a photo is told apart, so the
// digest sends it as a document: up to 18 projects it is a photo.
func TestChartIsPhoto(t *testing.T) {
	for _, tt := range []struct {
		projects int
		photo    bool
	}{{1, true}, {13, true}, {18, true}, {19, false}, {60, false}, {84, false}} {
		d := &Digest{Period: "2026-04"}
		c := Category{Title: "第1类改革"}
		for i := 1; i <= tt.projects; i++ {
			c.Projects = append(c.Projects, Project{ID: fmt.Sprintf("1.%d", i), Title: "改革项目", Total: 20, Reported: 17})
		}
		d.Categories = []Category{c}
		b, err := d.PNG()
		if err != nil {
			t.Fatal(err)
		}
		cfg, _ := png.DecodeConfig(bytes.NewReader(b))
		if got := ChartIsPhoto(b); got != tt.photo {
			t.Errorf("%d projects (%d×%d): ChartIsPhoto = %v, want %v", tt.projects, cfg.Width, cfg.Height, got, tt.photo)
		}
	}
	if ChartIsPhoto([]byte("not a png")) {
		t.Error("garbage is a photo")
	}
	if got := (&Digest{Period: "2017-04"}).ChartFileName(); got != "2017年4月进展图.png" {
		t.Errorf("ChartFileName = %q", got)
	}
}
