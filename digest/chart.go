package digest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// The chart's text is ASCII in basicfont's 7×13 face, drawn at twice its
// size so it stays legible when Telegram shrinks the picture to a phone's
// width: the machine need have no CJK font and nothing is downloaded.

// ChartWidth is the chart's width in pixels.
const ChartWidth = 800

const (
	textScale = 2
	glyphW    = 7 * textScale
	glyphH    = 13 * textScale
	margin    = 24
	labelW    = 6 * glyphW // project IDs up to six characters
	valueW    = 10 * glyphW
	rowH      = 34
	barH      = 24
	legendH   = 30
)

// Colours of the chart; the lights match the traffic lights people know.
var (
	colBackground = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	colText       = color.RGBA{0x20, 0x21, 0x24, 0xFF}
	colGrid       = color.RGBA{0xDA, 0xDC, 0xE0, 0xFF}
	colTrack      = color.RGBA{0xF1, 0xF3, 0xF4, 0xFF}
	colLight      = map[Light]color.RGBA{
		Red:    {0xD9, 0x30, 0x25, 0xFF},
		Yellow: {0xF2, 0xB9, 0x0C, 0xFF},
		Green:  {0x1E, 0x8E, 0x3E, 0xFF},
	}
)

// chartRow is one project's bar.
type chartRow struct {
	id, value  string
	light      Light
	track, bar image.Rectangle
	labelAt    image.Point
	valueAt    image.Point
}

// chartLayout places everything; drawing and tests share it.
type chartLayout struct {
	size    image.Point
	title   string
	summary string
	ticksY  int
	rows    []chartRow
	legendY int
}

func (d *Digest) layout() chartLayout {
	barX := margin + labelW + 8
	barW := ChartWidth - barX - 10 - valueW - margin
	t := d.Totals
	l := chartLayout{
		title: fmt.Sprintf("%s reporting completion by project", ascii(string(d.Period))),
		summary: fmt.Sprintf("reported %d/%d (%d%%), difficulties %d, stalled %d",
			t.Reported, t.Pairs, t.Percent(), t.Difficulties, t.Stalled),
	}
	y := margin + glyphH + 8 + glyphH + 16
	l.ticksY = y
	y += glyphH + 6
	for _, c := range d.Categories {
		for _, p := range c.Projects {
			top := y + (rowH-barH)/2
			r := chartRow{
				id: clipASCII(p.ID, 6), value: fmt.Sprintf("%d%% %d/%d", p.Percent(), p.Reported, p.Total),
				light:   p.Light,
				track:   image.Rect(barX, top, barX+barW, top+barH),
				labelAt: image.Pt(barX-8-len(clipASCII(p.ID, 6))*glyphW, top+(barH-glyphH)/2),
				valueAt: image.Pt(barX+barW+10, top+(barH-glyphH)/2),
			}
			r.bar = image.Rect(barX, top, barX+barW*p.Reported/max(p.Total, 1), top+barH)
			l.rows = append(l.rows, r)
			y += rowH
		}
	}
	if len(l.rows) == 0 {
		y += rowH // room for "no projects"
	}
	l.legendY = y + 16
	l.size = image.Pt(ChartWidth, l.legendY+3*legendH+margin)
	return l
}

// PNG renders a horizontal bar chart of each project's share of pairs
// reported, coloured by its light, with a legend. The output depends only on
// the digest.
func (d *Digest) PNG() ([]byte, error) {
	l := d.layout()
	img := image.NewRGBA(image.Rectangle{Max: l.size})
	fill(img, img.Bounds(), colBackground)
	drawText(img, image.Pt(margin, margin), l.title, colText)
	drawText(img, image.Pt(margin, margin+glyphH+8), l.summary, colText)

	barX := margin + labelW + 8
	barW := ChartWidth - barX - 10 - valueW - margin
	rowsTop, rowsBottom := l.ticksY+glyphH+2, l.legendY-12
	for i := 0; i <= 4; i++ {
		x := barX + barW*i/4
		label := fmt.Sprint(25 * i)
		if i == 4 {
			label += "%"
		}
		lx := min(max(x-len(label)*glyphW/2, margin), ChartWidth-margin-len(label)*glyphW)
		drawText(img, image.Pt(lx, l.ticksY), label, colText)
		fill(img, image.Rect(x, rowsTop, x+1, rowsBottom), colGrid)
	}
	for _, r := range l.rows {
		fill(img, r.track, colTrack)
		// Grid lines show through the track but not through the bar.
		for i := 0; i <= 4; i++ {
			x := barX + barW*i/4
			fill(img, image.Rect(x, r.track.Min.Y, x+1, r.track.Max.Y), colGrid)
		}
		fill(img, r.bar, colLight[r.light])
		drawText(img, r.labelAt, r.id, colText)
		drawText(img, r.valueAt, r.value, colText)
	}
	if len(l.rows) == 0 {
		drawText(img, image.Pt(barX, l.ticksY+glyphH+8), "no projects", colText)
	}
	legend := []struct {
		light Light
		text  string
	}{
		{Red, "red: difficulty, or under half reported"},
		{Yellow, "yellow: behind, missing or stalled"},
		{Green, "green: all reported, none behind"},
	}
	for i, e := range legend {
		y := l.legendY + i*legendH
		fill(img, image.Rect(margin, y+3, margin+20, y+23), colLight[e.light])
		drawText(img, image.Pt(margin+30, y), e.text, colText)
	}

	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("digest: png: %w", err)
	}
	return buf.Bytes(), nil
}

func fill(img draw.Image, r image.Rectangle, c color.RGBA) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// drawText draws ASCII text with its top-left corner at at, scaled up
// pixel for pixel (basicfont's glyphs are one bit, so no blur).
func drawText(img draw.Image, at image.Point, s string, c color.RGBA) {
	s = ascii(s)
	face := basicfont.Face7x13
	w, h := len(s)*face.Advance, face.Height
	if w == 0 {
		return
	}
	small := image.NewAlpha(image.Rect(0, 0, w, h))
	(&font.Drawer{Dst: small, Src: image.Opaque, Face: face, Dot: fixed.P(0, face.Ascent)}).DrawString(s)
	big := image.NewAlpha(image.Rect(0, 0, w*textScale, h*textScale))
	for y := range h * textScale {
		for x := range w * textScale {
			big.Pix[y*big.Stride+x] = small.Pix[(y/textScale)*small.Stride+x/textScale]
		}
	}
	draw.DrawMask(img, big.Bounds().Add(at), image.NewUniform(c), image.Point{}, big, image.Point{}, draw.Over)
}

// ascii replaces what basicfont cannot draw with '?'.
func ascii(s string) string {
	b := []byte{}
	for _, r := range s {
		if r < 0x20 || r > 0x7e {
			r = '?'
		}
		b = append(b, byte(r))
	}
	return string(b)
}

func clipASCII(s string, n int) string {
	s = ascii(s)
	if len(s) > n {
		return s[:n]
	}
	return s
}
