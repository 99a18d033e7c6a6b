//go:build ignore

// gen writes cjk.ttf: Droid Sans Fallback (Apache 2.0, Debian's
// fonts-droid-fallback) cut down to the characters a chart can need —
// GB2312 (its 6,763 hanzi, punctuation and full-width forms), ASCII, and
// every character of the embedded default plan — so the chart looks the
// same on any server without carrying the whole 4 MB font.
//
// The cut keeps the glyphs of those characters (and the components of
// composite glyphs), numbers them afresh, and writes new glyf, loca (long),
// hmtx (one full metric per glyph), cmap (one format-4 subtable, as every
// character kept is in the BMP), maxp and post (format 3, no glyph names).
// The tables a renderer does not need for horizontal text (vertical
// metrics, OpenType layout, hinting programs) are dropped.
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
	oldGlyph := map[rune]uint16{}
	missing := 0
	for _, r := range runes {
		g, err := f.GlyphIndex(&buf, r)
		if err != nil || g == 0 {
			missing++
			continue
		}
		if r > 0xFFFF {
			log.Fatalf("%U is outside the BMP: cmap format 4 cannot hold it", r)
		}
		glyphs[uint16(g)] = true
		oldGlyph[r] = uint16(g)
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
	// New glyph ids in the old order, .notdef first.
	order := make([]uint16, 0, len(glyphs))
	for g := range glyphs {
		order = append(order, g)
	}
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
	newID := map[uint16]uint16{}
	for i, g := range order {
		newID[g] = uint16(i)
	}
	hhea := append([]byte(nil), tables["hhea"]...)
	hmtx := tables["hmtx"]
	longMetrics := int(binary.BigEndian.Uint16(hhea[34:]))
	metric := func(g int) (advance, lsb uint16) {
		if g < longMetrics {
			return binary.BigEndian.Uint16(hmtx[4*g:]), binary.BigEndian.Uint16(hmtx[4*g+2:])
		}
		return binary.BigEndian.Uint16(hmtx[4*(longMetrics-1):]), binary.BigEndian.Uint16(hmtx[4*longMetrics+2*(g-longMetrics):])
	}
	var newGlyf bytes.Buffer
	newLoca := make([]byte, 4*(len(order)+1))
	newHmtx := make([]byte, 4*len(order))
	for i, g := range order {
		binary.BigEndian.PutUint32(newLoca[4*i:], uint32(newGlyf.Len()))
		newGlyf.Write(renumber(glyf[offset(int(g)):offset(int(g)+1)], newID))
		for newGlyf.Len()%4 != 0 {
			newGlyf.WriteByte(0)
		}
		adv, lsb := metric(int(g))
		binary.BigEndian.PutUint16(newHmtx[4*i:], adv)
		binary.BigEndian.PutUint16(newHmtx[4*i+2:], lsb)
	}
	binary.BigEndian.PutUint32(newLoca[4*len(order):], uint32(newGlyf.Len()))
	head = append([]byte(nil), head...)
	binary.BigEndian.PutUint16(head[50:], 1) // indexToLocFormat: long
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(hhea[34:], uint16(len(order)))
	maxp := append([]byte(nil), tables["maxp"]...)
	binary.BigEndian.PutUint16(maxp[4:], uint16(len(order)))
	post := append([]byte(nil), tables["post"][:32]...)
	binary.BigEndian.PutUint32(post, 0x00030000)
	cmap := map[rune]uint16{}
	for r, g := range oldGlyph {
		cmap[r] = newID[g]
	}
	tables["head"], tables["hhea"], tables["maxp"], tables["post"] = head, hhea, maxp, post
	tables["loca"], tables["glyf"], tables["hmtx"], tables["cmap"] = newLoca, newGlyf.Bytes(), newHmtx, cmapFormat4(cmap)

	out := writeFont(tables)
	if _, err := sfnt.Parse(out); err != nil {
		log.Fatalf("the subset does not parse: %v", err)
	}
	if err := os.WriteFile("cjk.ttf", out, 0o644); err != nil {
		log.Fatal(err)
	}
	// Every character kept maps to a glyph with the same advance as in
	// the source font.
	sub, err := sfnt.Parse(out)
	if err != nil {
		log.Fatal(err)
	}
	var subBuf sfnt.Buffer
	for r, g := range oldGlyph {
		ng, err := sub.GlyphIndex(&subBuf, r)
		if err != nil || uint16(ng) != newID[g] {
			log.Fatalf("%c maps to glyph %d in the subset, want %d (%v)", r, ng, newID[g], err)
		}
		a1, _ := f.GlyphAdvance(&buf, sfnt.GlyphIndex(g), 1000, 0)
		a2, _ := sub.GlyphAdvance(&subBuf, ng, 1000, 0)
		if a1 != a2 {
			log.Fatalf("%c: advance %v in the subset, %v in the font", r, a2, a1)
		}
	}
	fmt.Printf("cjk.ttf: %d characters (%d not in the font: the chart draws those with the Go fonts), %d of %d glyphs, %d bytes\n",
		len(runes), missing, len(order), n, len(out))
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

// renumber returns glyph g with its components' ids (if it is a composite)
// changed to their new ids.
func renumber(g []byte, newID map[uint16]uint16) []byte {
	if len(g) < 10 || int16(binary.BigEndian.Uint16(g)) >= 0 {
		return g
	}
	out := append([]byte(nil), g...)
	for _, at := range componentOffsets(out) {
		binary.BigEndian.PutUint16(out[at:], newID[binary.BigEndian.Uint16(out[at:])])
	}
	return out
}

// cmapFormat4 writes a cmap table with one Windows Unicode BMP subtable:
// one segment per run of consecutive characters, each glyph id listed in
// glyphIdArray.
func cmapFormat4(m map[rune]uint16) []byte {
	codes := make([]int, 0, len(m))
	for r := range m {
		codes = append(codes, int(r))
	}
	sort.Ints(codes)
	type segment struct{ start, end int }
	var segs []segment
	for _, c := range codes {
		if len(segs) > 0 && segs[len(segs)-1].end == c-1 {
			segs[len(segs)-1].end = c
		} else {
			segs = append(segs, segment{c, c})
		}
	}
	segs = append(segs, segment{0xFFFF, 0xFFFF})
	n := len(segs)
	entrySelector := 0
	for 1<<(entrySelector+1) <= n {
		entrySelector++
	}
	searchRange := 2 << entrySelector
	var ends, starts, deltas, ranges, ids bytes.Buffer
	put := func(b *bytes.Buffer, v int) { binary.Write(b, binary.BigEndian, uint16(v)) }
	arrayAt := 0 // glyphIdArray entries written so far
	for i, s := range segs {
		put(&ends, s.end)
		put(&starts, s.start)
		if s.start == 0xFFFF {
			put(&deltas, 1)
			put(&ranges, 0)
			continue
		}
		put(&deltas, 0)
		// idRangeOffset counts bytes from its own slot to the glyph id.
		put(&ranges, 2*(n-i)+2*arrayAt)
		for c := s.start; c <= s.end; c++ {
			put(&ids, int(m[rune(c)]))
			arrayAt++
		}
	}
	var sub bytes.Buffer
	length := 16 + 8*n + ids.Len()
	for _, v := range []int{4, length, 0, 2 * n, searchRange, entrySelector, 2*n - searchRange} {
		put(&sub, v)
	}
	sub.Write(ends.Bytes())
	put(&sub, 0) // reservedPad
	sub.Write(starts.Bytes())
	sub.Write(deltas.Bytes())
	sub.Write(ranges.Bytes())
	sub.Write(ids.Bytes())
	var out bytes.Buffer
	for _, v := range []int{0, 1, 3, 1} { // version, numTables, platform 3 (Windows), encoding 1 (Unicode BMP)
		put(&out, v)
	}
	binary.Write(&out, binary.BigEndian, uint32(12))
	out.Write(sub.Bytes())
	return out.Bytes()
}

// components lists a composite glyph's component glyph ids.
func components(g []byte) []uint16 {
	var out []uint16
	for _, at := range componentOffsets(g) {
		out = append(out, binary.BigEndian.Uint16(g[at:]))
	}
	return out
}

// componentOffsets are the byte offsets of a composite glyph's component
// glyph ids; none for a simple glyph.
func componentOffsets(g []byte) []int {
	if len(g) < 10 || int16(binary.BigEndian.Uint16(g)) >= 0 {
		return nil
	}
	var out []int
	p := 10
	for p+4 <= len(g) {
		flags := binary.BigEndian.Uint16(g[p:])
		out = append(out, p+2)
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
