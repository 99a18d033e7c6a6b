// Package chartfont embeds the fonts the digest's chart is drawn with, so
// the chart is the same on every server whatever fonts it has:
//
//   - cjk.ttf, Droid Sans Fallback (Copyright © 2006–2010 Google Corp.,
//     Apache License 2.0, see LICENSE beside it, from Debian's
//     fonts-droid-fallback) cut down to GB2312, the default plan's
//     characters and common punctuation by gen.go (go generate);
//   - the Go fonts (BSD licence, in golang.org/x/image) for Latin letters,
//     digits and the punctuation Droid Sans Fallback lacks.
package chartfont

//go:generate go run gen.go

import (
	_ "embed"
	"sync"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

//go:embed cjk.ttf
var cjkTTF []byte

// Fonts are the parsed fonts; sfnt.Font is safe for concurrent use.
type Fonts struct {
	CJK, Latin, LatinBold *sfnt.Font
}

var load = sync.OnceValues(func() (*Fonts, error) {
	var f Fonts
	var err error
	if f.CJK, err = sfnt.Parse(cjkTTF); err != nil {
		return nil, err
	}
	if f.Latin, err = sfnt.Parse(goregular.TTF); err != nil {
		return nil, err
	}
	if f.LatinBold, err = sfnt.Parse(gobold.TTF); err != nil {
		return nil, err
	}
	return &f, nil
})

// Load returns the fonts, parsed once.
func Load() (*Fonts, error) { return load() }
