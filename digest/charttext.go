package digest

import (
	"image"
	"image/color"
	"image/draw"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/luohu/reformbot/digest/chartfont"
)

// textFace draws mixed Chinese and Latin text: Latin letters, digits and
// punctuation from the Go font, everything else from the embedded CJK
// font. Faces keep a glyph cache and are not safe for concurrent use, so
// each rendering makes its own.
type textFace struct {
	latin, cjk     font.Face
	latinSF, cjkSF *sfnt.Font
	buf            sfnt.Buffer
	ascent, height int
}

func newTextFace(fonts *chartfont.Fonts, size float64, bold bool) (*textFace, error) {
	latinSF := fonts.Latin
	if bold {
		latinSF = fonts.LatinBold
	}
	opts := &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone}
	latin, err := opentype.NewFace(latinSF, opts)
	if err != nil {
		return nil, err
	}
	cjk, err := opentype.NewFace(fonts.CJK, opts)
	if err != nil {
		return nil, err
	}
	m := cjk.Metrics()
	return &textFace{
		latin: latin, cjk: cjk, latinSF: latinSF, cjkSF: fonts.CJK,
		ascent: m.Ascent.Ceil(), height: (m.Ascent + m.Descent).Ceil(),
	}, nil
}

// faceFor picks the face that has r: the Go font for what it covers
// below the CJK blocks, else the CJK font, else the Go font (whose
// .notdef box then shows a character neither has).
func (t *textFace) faceFor(r rune) font.Face {
	if r < 0x2E80 {
		if g, err := t.latinSF.GlyphIndex(&t.buf, r); err == nil && g != 0 {
			return t.latin
		}
	}
	if g, err := t.cjkSF.GlyphIndex(&t.buf, r); err == nil && g != 0 {
		return t.cjk
	}
	return t.latin
}

// width is s's advance in pixels.
func (t *textFace) width(s string) int {
	var w fixed.Int26_6
	for _, r := range s {
		adv, _ := t.faceFor(r).GlyphAdvance(r)
		w += adv
	}
	return w.Ceil()
}

// fit shortens s with an ellipsis until it is at most w pixels wide.
func (t *textFace) fit(s string, w int) string {
	if t.width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && t.width(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// draw draws s with its top-left corner at at, and returns its box.
func (t *textFace) draw(dst draw.Image, at image.Point, s string, c color.Color) image.Rectangle {
	dot := fixed.P(at.X, at.Y+t.ascent)
	src := image.NewUniform(c)
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		f := t.faceFor(r)
		d := font.Drawer{Dst: dst, Src: src, Face: f, Dot: dot}
		d.DrawString(string(r))
		dot = d.Dot
	}
	return image.Rect(at.X, at.Y, dot.X.Ceil(), at.Y+t.height)
}
