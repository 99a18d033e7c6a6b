package plan

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Word prints a numbered list's numbers itself: the paragraph holds only a
// reference (w:numPr: list id and level, or a paragraph style that has
// one), and word/numbering.xml says how each level is numbered. The reader
// counts as Word does, so that 1. 2. 3. and （一）（二） reach the outline as
// if typed.

// numRef is a paragraph's place in a list.
type numRef struct {
	id    string
	level int
}

// numLevel is how one level of a list is numbered.
type numLevel struct {
	format string // decimal, chineseCounting, bullet, …
	text   string // e.g. "%1." or "（%1）"
	start  int
}

// numbering holds the lists of a document and counts their items.
type numbering struct {
	abstract map[string]map[int]numLevel // abstractNumId → levels
	nums     map[string]string           // numId → abstractNumId
	// counters count per level. Lists that share an abstract list
	// continue one count, as Word numbers them, unless a list restarts
	// it (startOverride): keyed by abstractNumId, or by "#numId".
	counters map[string][]int
	restarts map[string]map[int]int // numId → level → start
}

func readNumbering(zr *zip.Reader) (*numbering, error) {
	n := &numbering{abstract: map[string]map[int]numLevel{}, nums: map[string]string{}, counters: map[string][]int{}, restarts: map[string]map[int]int{}}
	rc, ok, err := openPart(zr, "word/numbering.xml")
	if err != nil || !ok {
		return n, err
	}
	defer rc.Close()
	var doc struct {
		Abstract []struct {
			ID     string `xml:"abstractNumId,attr"`
			Levels []struct {
				Level int `xml:"ilvl,attr"`
				Start struct {
					Val int `xml:"val,attr"`
				} `xml:"start"`
				Format struct {
					Val string `xml:"val,attr"`
				} `xml:"numFmt"`
				Text struct {
					Val string `xml:"val,attr"`
				} `xml:"lvlText"`
			} `xml:"lvl"`
		} `xml:"abstractNum"`
		Nums []struct {
			ID       string `xml:"numId,attr"`
			Abstract struct {
				Val string `xml:"val,attr"`
			} `xml:"abstractNumId"`
			Overrides []struct {
				Level int `xml:"ilvl,attr"`
				Start *struct {
					Val int `xml:"val,attr"`
				} `xml:"startOverride"`
			} `xml:"lvlOverride"`
		} `xml:"num"`
	}
	if err := xml.NewDecoder(rc).Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: word/numbering.xml: %v", ErrFormat, err)
	}
	for _, a := range doc.Abstract {
		levels := map[int]numLevel{}
		for _, l := range a.Levels {
			levels[l.Level] = numLevel{format: l.Format.Val, text: l.Text.Val, start: l.Start.Val}
		}
		n.abstract[a.ID] = levels
	}
	for _, num := range doc.Nums {
		n.nums[num.ID] = num.Abstract.Val
		for _, o := range num.Overrides {
			if o.Start != nil {
				if n.restarts[num.ID] == nil {
					n.restarts[num.ID] = map[int]int{}
				}
				n.restarts[num.ID][o.Level] = o.Start.Val
			}
		}
	}
	return n, nil
}

// readStyleNumbering returns the paragraph styles that number their
// paragraphs, such as Word's 列表编号.
func readStyleNumbering(zr *zip.Reader) (map[string]numRef, error) {
	out := map[string]numRef{}
	rc, ok, err := openPart(zr, "word/styles.xml")
	if err != nil || !ok {
		return out, err
	}
	defer rc.Close()
	var doc struct {
		Styles []struct {
			ID  string `xml:"styleId,attr"`
			PPr struct {
				NumPr *struct {
					Level struct {
						Val int `xml:"val,attr"`
					} `xml:"ilvl"`
					ID struct {
						Val string `xml:"val,attr"`
					} `xml:"numId"`
				} `xml:"numPr"`
			} `xml:"pPr"`
		} `xml:"style"`
	}
	if err := xml.NewDecoder(rc).Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: word/styles.xml: %v", ErrFormat, err)
	}
	for _, s := range doc.Styles {
		if s.PPr.NumPr != nil && s.PPr.NumPr.ID.Val != "" {
			out[s.ID] = numRef{id: s.PPr.NumPr.ID.Val, level: s.PPr.NumPr.Level.Val}
		}
	}
	return out, nil
}

// label counts the paragraph in its list and returns the number Word
// prints before it, such as "3." or "（二）"; "" for a bullet or an
// unknown list.
func (n *numbering) label(ref numRef) string {
	levels, ok := n.abstract[n.nums[ref.id]]
	if !ok || ref.id == "0" || ref.level < 0 || ref.level > 8 {
		return ""
	}
	key, starts := n.nums[ref.id], n.restarts[ref.id]
	if starts != nil {
		key = "#" + ref.id
	}
	c := n.counters[key]
	if c == nil {
		c = make([]int, 9)
		for i := range c {
			start := levels[i].start
			if s, ok := starts[i]; ok {
				start = s
			}
			c[i] = max(start, 1) - 1
		}
		n.counters[key] = c
	}
	c[ref.level]++
	for i := ref.level + 1; i < len(c); i++ {
		c[i] = max(levels[i].start, 1) - 1
	}
	l := levels[ref.level]
	if l.format == "bullet" || l.format == "none" {
		return ""
	}
	text := l.text
	for i := 0; i <= ref.level; i++ {
		text = strings.ReplaceAll(text, "%"+strconv.Itoa(i+1), formatNumber(levels[i].format, c[i]))
	}
	// A number Word follows with a tab or space only ("%1"): give it the
	// separator the outline reads.
	if last, _ := utf8.DecodeLastRuneInString(text); last >= '0' && last <= '9' {
		text += "."
	} else if strings.ContainsRune("一二三四五六七八九十", last) {
		text += "、"
	}
	return text
}

// formatNumber writes n as a list format says.
func formatNumber(format string, n int) string {
	switch format {
	case "chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional", "taiwaneseCounting", "taiwaneseCountingThousand", "japaneseCounting":
		return ChineseNumeral(n)
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if n >= 1 && n <= 20 {
			return string(rune('①' + n - 1))
		}
	case "upperLetter", "lowerLetter":
		if n >= 1 && n <= 26 {
			base := 'A'
			if format == "lowerLetter" {
				base = 'a'
			}
			return string(rune(base + rune(n) - 1))
		}
	}
	return strconv.Itoa(n)
}
