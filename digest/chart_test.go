package digest

import (
	"bytes"
	"image/color"
	"image/png"
	"testing"
)

func TestPNG(t *testing.T) {
	d := Build(testInput(t))
	b, err := d.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	l := d.layout()
	if got := img.Bounds().Size(); got.X != ChartWidth || got != l.size {
		t.Errorf("size = %v, want %v", got, l.size)
	}
	if len(l.rows) != 5 {
		t.Fatalf("%d bars, want 5", len(l.rows))
	}
	rgba := func(x, y int) color.RGBA {
		r, g, b, a := img.At(x, y).RGBA()
		return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
	}
	wantLights := []Light{Red, Red, Yellow, Green, Yellow}
	for i, r := range l.rows {
		if r.light != wantLights[i] {
			t.Errorf("bar %d light = %s, want %s", i, r.light, wantLights[i])
		}
		mid := r.bar.Min.Y + barH/2
		if got := rgba(r.bar.Min.X+2, mid); got != colLight[r.light] {
			t.Errorf("bar %d (%s) colour = %v, want %v", i, r.id, got, colLight[r.light])
		}
		// Past the bar's end the grey track shows, unless the bar is full.
		if r.bar.Max.X < r.track.Max.X-4 {
			if got := rgba(r.track.Max.X-3, mid); got != colTrack {
				t.Errorf("bar %d track colour = %v, want %v", i, got, colTrack)
			}
		}
	}
	// 1.2 is 1 of 3 reported: a third of the track.
	if w, full := l.rows[1].bar.Dx(), l.rows[1].track.Dx(); w != full/3 {
		t.Errorf("1.2 bar width = %d, want %d", w, full/3)
	}
	again, _ := d.PNG()
	if !bytes.Equal(b, again) {
		t.Error("PNG is not deterministic")
	}
}
