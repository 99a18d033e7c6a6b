//go:build ignore

// gen writes cjk.ttf: Droid Sans Fallback (Apache 2.0, Debian's
// fonts-droid-fallback) cut down to the characters a chart can need —
// GB2312 (its 6,763 hanzi, punctuation and full-width forms), ASCII, and
// every character of the embedded default plan — so the chart looks the
// same on any server without carrying the whole 4 MB font.
//
// The cut keeps glyph ids: every glyph outside the set becomes empty (its
// loca entry has no length) and the tables a renderer does not need for
// horizontal text are dropped. cmap, hmtx and the rest stay as they are,
// which keeps this program small and the result a valid TrueType font.
//
//	apt-get install fonts-droid-fallback
//	go generate ./digest/chartfont
package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"log"
	"os"
	"sort"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const source = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"

// keep are the tables copied; the others (vertical metrics, OpenType
// layout, hinting programs) are not used for a chart's horizontal text.
var keep = map[string]bool{
	"OS/2": true, "cmap": true, "head": true, "hhea": true, "hmtx": true,
	"maxp": true, "name": true, "post": true, "loca": true, "glyf": true,
}

func main() {
	data, err := os.ReadFile(source)
	if err != nil {
		log.Fatalf("%v (apt-get install fonts-droid-fallback)", err)
	}
	f, err := sfnt.Parse(data)
	if err != nil {
		log.Fatal(err)
	}
	tables := readTables(data)
	runes := charset()
	var buf sfnt.Buffer
	glyphs := map[uint16]bool{0: true} // .notdef
	missing := 0
	for _, r := range runes {
		g, err := f.GlyphIndex(&buf, r)
		if err != nil || g == 0 {
			missing++
			continue
		}
		glyphs[uint16(g)] = true
	}
	head := tables["head"]
	long := binary.BigEndian.Uint16(head[50:]) == 1
	loca := tables["loca"]
	glyf := tables["glyf"]
	n := int(binary.BigEndian.Uint16(tables["maxp"][4:]))
	offset := func(i int) int {
		if long {
			return int(binary.BigEndian.Uint32(loca[4*i:]))
		}
		return 2 * int(binary.BigEndian.Uint16(loca[2*i:]))
	}
	// Composite glyphs need their components.
	for changed := true; changed; {
		changed = false
		for g := range glyphs {
			for _, c := range components(glyf[offset(int(g)):offset(int(g)+1)]) {
				if !glyphs[c] {
					glyphs[c] = true
					changed = true
				}
			}
		}
	}
	var newGlyf bytes.Buffer
	newLoca := make([]byte, 4*(n+1))
	for i := 0; i < n; i++ {
		binary.BigEndian.PutUint32(newLoca[4*i:], uint32(newGlyf.Len()))
		if glyphs[uint16(i)] {
			newGlyf.Write(stripHints(glyf[offset(i):offset(i+1)]))
			for newGlyf.Len()%4 != 0 {
				newGlyf.WriteByte(0)
			}
		}
	}
	binary.BigEndian.PutUint32(newLoca[4*n:], uint32(newGlyf.Len()))
	head = append([]byte(nil), head...)
	binary.BigEndian.PutUint16(head[50:], 1) // indexToLocFormat: long
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment, set below
	tables["head"], tables["loca"], tables["glyf"] = head, newLoca, newGlyf.Bytes()

	out := writeFont(tables)
	if _, err := sfnt.Parse(out); err != nil {
		log.Fatalf("the subset does not parse: %v", err)
	}
	if err := os.WriteFile("cjk.ttf", out, 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("cjk.ttf: %d characters (%d not in the font: the chart draws those with the Go fonts), %d of %d glyphs, %d bytes\n",
		len(runes), missing, len(glyphs), n, len(out))
}

// charset is GB2312 (rows 1–9 symbols and 16–87 hanzi, read through the
// GBK decoder, of which GB2312 is the core), ASCII, and the default plan's
// characters.
func charset() []rune {
	set := map[rune]bool{}
	for r := rune(0x20); r < 0x7f; r++ {
		set[r] = true
	}
	dec := simplifiedchinese.GBK.NewDecoder()
	for hi := 0xA1; hi <= 0xF7; hi++ {
		if hi > 0xA9 && hi < 0xB0 {
			continue
		}
		for lo := 0xA1; lo <= 0xFE; lo++ {
			s, err := dec.Bytes([]byte{byte(hi), byte(lo)})
			if err != nil {
				continue
			}
			for _, r := range string(s) {
				if r != 0xFFFD {
					set[r] = true
				}
			}
		}
	}
	if plan, err := os.ReadFile("../../plan/default.yaml"); err == nil {
		for _, r := range string(plan) {
			if r >= 0x20 {
				set[r] = true
			}
		}
	}
	for _, r := range "·—…“”‘’《》、。，：；！？（）【】％" {
		set[r] = true
	}
	out := make([]rune, 0, len(set))
	for r := range set {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// stripHints drops a simple glyph's hinting instructions: the chart's
// renderer does not run them, and they are a third of the glyph data.
func stripHints(g []byte) []byte {
	if len(g) < 12 {
		return g
	}
	contours := int(int16(binary.BigEndian.Uint16(g)))
	if contours < 0 {
		return g // composite: left as it is
	}
	at := 10 + 2*contours
	if at+2 > len(g) {
		return g
	}
	n := int(binary.BigEndian.Uint16(g[at:]))
	if n == 0 || at+2+n > len(g) {
		return g
	}
	out := append([]byte(nil), g[:at]...)
	out = append(out, 0, 0)
	return append(out, g[at+2+n:]...)
}

// components lists a composite glyph's component glyph ids.
func components(g []byte) []uint16 {
	if len(g) < 10 || int16(binary.BigEndian.Uint16(g)) >= 0 {
		return nil
	}
	var out []uint16
	p := 10
	for p+4 <= len(g) {
		flags := binary.BigEndian.Uint16(g[p:])
		out = append(out, binary.BigEndian.Uint16(g[p+2:]))
		p += 4
		if flags&0x0001 != 0 { // ARG_1_AND_2_ARE_WORDS
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&0x0008 != 0: // WE_HAVE_A_SCALE
			p += 2
		case flags&0x0040 != 0: // WE_HAVE_AN_X_AND_Y_SCALE
			p += 4
		case flags&0x0080 != 0: // WE_HAVE_A_TWO_BY_TWO
			p += 8
		}
		if flags&0x0020 == 0 { // MORE_COMPONENTS
			break
		}
	}
	return out
}

func readTables(data []byte) map[string][]byte {
	n := int(binary.BigEndian.Uint16(data[4:]))
	out := map[string][]byte{}
	for i := 0; i < n; i++ {
		rec := data[12+16*i:]
		tag := string(rec[:4])
		off, length := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if keep[tag] {
			out[tag] = data[off : off+length]
		}
	}
	return out
}

func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

// writeFont lays the tables out in tag order, each 4-byte aligned, with a
// correct directory and head.checkSumAdjustment.
func writeFont(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	num := len(tags)
	entrySelector := 0
	for 1<<(entrySelector+1) <= num {
		entrySelector++
	}
	searchRange := 16 << entrySelector
	var out bytes.Buffer
	hdr := make([]byte, 12+16*num)
	binary.BigEndian.PutUint32(hdr, 0x00010000)
	binary.BigEndian.PutUint16(hdr[4:], uint16(num))
	binary.BigEndian.PutUint16(hdr[6:], uint16(searchRange))
	binary.BigEndian.PutUint16(hdr[8:], uint16(entrySelector))
	binary.BigEndian.PutUint16(hdr[10:], uint16(num*16-searchRange))
	out.Write(hdr)
	headAt := 0
	for i, t := range tags {
		body := tables[t]
		rec := hdr[12+16*i:]
		copy(rec, t)
		binary.BigEndian.PutUint32(rec[4:], checksum(body))
		binary.BigEndian.PutUint32(rec[8:], uint32(out.Len()))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(body)))
		if t == "head" {
			headAt = out.Len()
		}
		out.Write(body)
		for out.Len()%4 != 0 {
			out.WriteByte(0)
		}
	}
	b := out.Bytes()
	copy(b, hdr)
	binary.BigEndian.PutUint32(b[headAt+8:], 0xB1B0AFBA-checksum(b))
	return b
}
