package plan

import (
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// gbkTable maps every two-byte GBK code to its character and back. Repairing
// mojibake means re-encoding garbage one byte at a time and decoding pairs
// in a different alignment, tens of thousands of times per document; a table
// is much cheaper than a decoder call per pair.
type gbkTable struct {
	decode [0x7F][0xBF]rune // [lead-0x81][trail-0x40], 0 when unmapped
	encode map[rune]uint16
}

var (
	gbkOnce sync.Once
	gbk     *gbkTable
)

// gbkCodes returns the shared table, building it on first use.
func gbkCodes() *gbkTable {
	gbkOnce.Do(func() {
		t := &gbkTable{encode: make(map[rune]uint16, 22000)}
		dec := simplifiedchinese.GBK.NewDecoder()
		var in [2]byte
		var out [8]byte
		for lead := 0x81; lead <= 0xFE; lead++ {
			for trail := 0x40; trail <= 0xFE; trail++ {
				if trail == 0x7F {
					continue
				}
				in[0], in[1] = byte(lead), byte(trail)
				dec.Reset()
				n, _, err := dec.Transform(out[:], in[:], true)
				if err != nil || n == 0 {
					continue
				}
				r, size := utf8.DecodeRune(out[:n])
				if r == utf8.RuneError || size != n {
					continue
				}
				t.decode[lead-0x81][trail-0x40] = r
				if _, dup := t.encode[r]; !dup {
					t.encode[r] = uint16(lead)<<8 | uint16(trail)
				}
			}
		}
		gbk = t
	})
	return gbk
}

// pair decodes a lead and a trail byte, or returns 0.
func (t *gbkTable) pair(lead, trail byte) rune {
	if lead < 0x81 || lead > 0xFE || trail < 0x40 || trail > 0xFE {
		return 0
	}
	return t.decode[lead-0x81][trail-0x40]
}

// code returns the two GBK bytes of r.
func (t *gbkTable) code(r rune) (lead, trail byte, ok bool) {
	c, ok := t.encode[r]
	return byte(c >> 8), byte(c), ok
}

// simplifiedGBK decodes GBK bytes.
func simplifiedGBK(b []byte) (string, error) {
	out, err := simplifiedchinese.GBK.NewDecoder().Bytes(b)
	return string(out), err
}
