package bot

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxText is the most a message's HTML source may measure, in UTF-16 code
// units. Telegram allows 4096 units of the text after entity parsing; the
// source is never shorter (tags vanish, &lt; becomes one unit), so a source
// within 4096 is always accepted. The margin is for nothing in particular.
const maxText = 4000

// utf16Len is s's length as Telegram counts it: UTF-16 code units (an
// emoji outside the BMP is two).
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// clipUTF16 shortens plain text s to at most n UTF-16 units, ending in …
// when cut, never inside a surrogate pair.
func clipUTF16(s string, n int) string {
	if utf16Len(s) <= n {
		return s
	}
	size := 0
	for i, r := range s {
		if size+utf16.RuneLen(r) > n-1 {
			return s[:i] + "…"
		}
		size += utf16.RuneLen(r)
	}
	return s
}

// splitText cuts Telegram HTML into messages of at most limit UTF-16 units
// each. It cuts at a line break when one falls in the second half of a
// message, else between two characters; never inside a tag, an entity
// (&lt;) or a surrogate pair. Tags open at a cut are closed at the end of
// the part and opened again at the start of the next, so every part is
// valid HTML on its own.
func splitText(text string, limit int) []string {
	if utf16Len(text) <= limit {
		return []string{text}
	}
	toks := tokenizeHTML(text)
	var parts []string
	var open []htmlTag // tags open at start
	start := 0
	for start < len(toks) {
		// Leading line breaks of a part would only show as blank space.
		for start < len(toks) && toks[start].text == "\n" {
			start++
		}
		if start == len(toks) {
			break
		}
		prefix := openers(open)
		size := utf16Len(prefix)
		stack := open
		end := start
		nl, nlStack := -1, []htmlTag(nil)
		for end < len(toks) {
			next := toks[end].apply(stack)
			if size+toks[end].size+closersSize(next) > limit && end > start {
				break
			}
			size += toks[end].size
			stack = next
			end++
			// A line break in the first half would leave a stub.
			if toks[end-1].text == "\n" && size >= limit/2 {
				nl, nlStack = end, stack
			}
		}
		cut, cutStack := end, stack
		if end < len(toks) && nl > start {
			cut, cutStack = nl, nlStack
		}
		var b strings.Builder
		b.WriteString(prefix)
		for _, t := range toks[start:cut] {
			b.WriteString(t.text)
		}
		body := strings.TrimRight(b.String(), "\n")
		if strings.TrimSpace(body) != strings.TrimSpace(prefix) {
			parts = append(parts, body+closers(cutStack))
		}
		start, open = cut, cutStack
	}
	return parts
}

// htmlToken is one indivisible piece of Telegram HTML: a tag, an entity or
// one character.
type htmlToken struct {
	text string
	size int    // UTF-16 units, counted in the source (an upper bound)
	tag  string // the tag's name, for tags
	end  bool   // a closing tag
}

// htmlTag is an open tag: its name and the opening text to repeat.
type htmlTag struct {
	name, open string
}

// apply returns the open tags after t, given those before it.
func (t htmlToken) apply(stack []htmlTag) []htmlTag {
	switch {
	case t.tag == "":
		return stack
	case !t.end:
		return append(stack[:len(stack):len(stack)], htmlTag{name: t.tag, open: t.text})
	}
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i].name == t.tag {
			return stack[:i:i]
		}
	}
	return stack
}

func openers(stack []htmlTag) string {
	var b strings.Builder
	for _, t := range stack {
		b.WriteString(t.open)
	}
	return b.String()
}

func closers(stack []htmlTag) string {
	var b strings.Builder
	for i := len(stack) - 1; i >= 0; i-- {
		b.WriteString("</" + stack[i].name + ">")
	}
	return b.String()
}

func closersSize(stack []htmlTag) int {
	n := 0
	for _, t := range stack {
		n += len(t.name) + 3
	}
	return n
}

// tokenizeHTML splits s into tags, entities and characters. Text that only
// looks like the start of a tag or entity (no closing > or ;) is taken
// character by character.
func tokenizeHTML(s string) []htmlToken {
	var toks []htmlToken
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			if j := strings.IndexByte(s[i:], '>'); j > 0 {
				text := s[i : i+j+1]
				name := strings.TrimPrefix(text[1:len(text)-1], "/")
				if k := strings.IndexAny(name, " \t\n/"); k >= 0 {
					name = name[:k]
				}
				toks = append(toks, htmlToken{text: text, size: utf16Len(text), tag: strings.ToLower(name), end: text[1] == '/'})
				i += j + 1
				continue
			}
		case '&':
			if j := strings.IndexByte(s[i:], ';'); j > 1 && j <= 10 {
				text := s[i : i+j+1]
				toks = append(toks, htmlToken{text: text, size: utf16Len(text)})
				i += j + 1
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		toks = append(toks, htmlToken{text: s[i : i+n], size: utf16.RuneLen(r)})
		i += n
	}
	return toks
}
