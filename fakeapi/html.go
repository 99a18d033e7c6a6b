package fakeapi

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// entity is a Bot API MessageEntity.
type entity struct {
	Type     string `json:"type"`
	Offset   int    `json:"offset"`
	Length   int    `json:"length"`
	URL      string `json:"url,omitempty"`
	Language string `json:"language,omitempty"`
}

// htmlTags are the tags Telegram's HTML parse mode accepts.
var htmlTags = map[string]string{
	"b": "bold", "strong": "bold",
	"i": "italic", "em": "italic",
	"u": "underline", "ins": "underline",
	"s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
	"tg-spoiler": "spoiler", "span": "spoiler",
	"a":    "text_link",
	"code": "code", "pre": "pre",
	"blockquote": "blockquote",
	"tg-emoji":   "custom_emoji",
	"tg-time":    "date_time",
}

// parseHTML turns text in parse_mode HTML into plain text and entities. It
// follows TDLib's parse_html, error messages included, and is stricter in
// one way: a bare '&' (one that starts no entity) or '>' is an error here,
// while Telegram shows it as is. The documentation asks for them to be
// escaped, and a bot that does so never trips on '<'.
func parseHTML(text string) (string, []entity, error) {
	type open struct {
		tag, arg string
		offset   int // UTF-16 offset in the output
	}
	var (
		out   strings.Builder
		ents  []entity
		stack []open
		u16   int
	)
	n := len(text)
	for i := 0; i < n; {
		switch text[i] {
		case '&':
			r, size := decodeHTMLEntity(text[i:])
			if size == 0 {
				return "", nil, fmt.Errorf("Unescaped \"&\" at byte offset %d (Telegram would show it as is; fakeapi wants &amp;)", i)
			}
			out.WriteRune(r)
			u16 += utf16Len(r)
			i += size
			continue
		case '>':
			return "", nil, fmt.Errorf("Unescaped \">\" at byte offset %d (Telegram would show it as is; fakeapi wants &gt;)", i)
		case '<':
		default:
			r, size := utf8.DecodeRuneInString(text[i:])
			out.WriteString(text[i : i+size])
			u16 += utf16Len(r)
			i += size
			continue
		}

		begin := i
		i++
		if i < n && text[i] == '/' {
			if len(stack) == 0 {
				return "", nil, fmt.Errorf("Unexpected end tag at byte offset %d", begin)
			}
			i++
			j := i
			for j < n && !isSpace(text[j]) && text[j] != '>' {
				j++
			}
			name := strings.ToLower(text[i:j])
			for j < n && isSpace(text[j]) {
				j++
			}
			if j >= n || text[j] != '>' {
				return "", nil, fmt.Errorf("Unclosed end tag at byte offset %d", begin)
			}
			top := stack[len(stack)-1]
			if name != "" && name != top.tag {
				return "", nil, fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", begin, top.tag, name)
			}
			stack = stack[:len(stack)-1]
			if u16 > top.offset {
				ents = append(ents, tagEntity(top.tag, top.arg, top.offset, u16-top.offset))
			}
			i = j + 1
			continue
		}

		j := i
		for j < n && !isSpace(text[j]) && text[j] != '>' {
			j++
		}
		if j >= n {
			return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
		}
		tag := strings.ToLower(text[i:j])
		if _, ok := htmlTags[tag]; !ok {
			return "", nil, fmt.Errorf("Unsupported start tag \"%s\" at byte offset %d", tag, begin)
		}
		arg, end, err := parseAttributes(text, j, tag, begin)
		if err != nil {
			return "", nil, err
		}
		if tag == "span" && arg != "spoiler" {
			return "", nil, fmt.Errorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", begin)
		}
		stack = append(stack, open{tag: tag, arg: arg, offset: u16})
		i = end + 1
	}
	if len(stack) > 0 {
		return "", nil, fmt.Errorf("Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1].tag)
	}
	return out.String(), ents, nil
}

// parseAttributes reads a start tag's attributes from text[i:] up to its
// '>' and returns the argument the tag keeps (a's href, code's language,
// ...) and the position of the '>'.
func parseAttributes(text string, i int, tag string, begin int) (arg string, end int, err error) {
	n := len(text)
	for i < n && text[i] != '>' {
		for i < n && isSpace(text[i]) {
			i++
		}
		if i < n && text[i] == '>' {
			break
		}
		nameStart := i
		for i < n && !isSpace(text[i]) && !strings.ContainsRune("=>/\"'", rune(text[i])) {
			i++
		}
		name := text[nameStart:i]
		if name == "" {
			return "", 0, fmt.Errorf("Empty attribute name in the tag \"%s\" at byte offset %d", tag, begin)
		}
		for i < n && isSpace(text[i]) {
			i++
		}
		if i >= n {
			return "", 0, fmt.Errorf("Unclosed start tag \"%s\" at byte offset %d", tag, begin)
		}
		if text[i] != '=' {
			if tag == "blockquote" && name == "expandable" {
				arg = "1"
			}
			continue
		}
		i++
		for i < n && isSpace(text[i]) {
			i++
		}
		if i >= n {
			return "", 0, fmt.Errorf("Unclosed start tag \"%s\" at byte offset %d", tag, begin)
		}
		var value string
		if q := text[i]; q == '"' || q == '\'' {
			// Attribute values are decoded leniently, as Telegram does: a URL's
			// bare '&' is common and harmless.
			var b strings.Builder
			for i++; i < n && text[i] != q; {
				if text[i] == '&' {
					if r, size := decodeHTMLEntity(text[i:]); size > 0 {
						b.WriteRune(r)
						i += size
						continue
					}
				}
				b.WriteByte(text[i])
				i++
			}
			if i < n {
				i++
			}
			value = b.String()
		} else {
			tokenStart := i
			for i < n && (isAlnum(text[i]) || text[i] == '.' || text[i] == '-') {
				i++
			}
			value = strings.ToLower(text[tokenStart:i])
			if i < n && !isSpace(text[i]) && text[i] != '>' {
				return "", 0, fmt.Errorf("Unexpected end of name token at byte offset %d", tokenStart)
			}
		}
		if i >= n {
			return "", 0, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
		}
		switch {
		case tag == "a" && name == "href":
			arg = value
		case tag == "code" && name == "class" && strings.HasPrefix(value, "language-"):
			arg = value[len("language-"):]
		case tag == "span" && name == "class" && strings.HasPrefix(value, "tg-"):
			arg = value[len("tg-"):]
		case tag == "tg-emoji" && name == "emoji-id":
			arg = value
		case tag == "blockquote" && name == "expandable":
			arg = "1"
		}
	}
	if i >= n {
		return "", 0, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
	}
	return arg, i, nil
}

func tagEntity(tag, arg string, offset, length int) entity {
	e := entity{Type: htmlTags[tag], Offset: offset, Length: length}
	switch tag {
	case "a":
		e.URL = arg
	case "code":
		e.Language = arg
		if arg != "" {
			e.Type = "pre"
		}
	case "blockquote":
		if arg == "1" {
			e.Type = "expandable_blockquote"
		}
	}
	return e
}

// decodeHTMLEntity decodes the entity at the start of s (which begins with
// '&') as TDLib does: &lt; &gt; &amp; &quot; and numeric references, the
// ';' optional. size is 0 when s starts no entity Telegram knows.
func decodeHTMLEntity(s string) (r rune, size int) {
	end := 1
	var code int64
	if len(s) > 1 && s[1] == '#' {
		end = 2
		base, digits := 10, "0123456789"
		if len(s) > 2 && s[2] == 'x' {
			end, base, digits = 3, 16, "0123456789abcdefABCDEF"
		}
		start := end
		for end < len(s) && strings.IndexByte(digits, s[end]) >= 0 {
			end++
		}
		if end-start == 0 || end >= 10 {
			return 0, 0
		}
		code, _ = strconv.ParseInt(s[start:end], base, 32)
		if code == 0 || code >= 0x10ffff {
			return 0, 0
		}
	} else {
		for end < len(s) && isAlpha(s[end]) {
			end++
		}
		switch s[1:end] {
		case "lt":
			code = '<'
		case "gt":
			code = '>'
		case "amp":
			code = '&'
		case "quot":
			code = '"'
		default:
			return 0, 0
		}
	}
	if end < len(s) && s[end] == ';' {
		end++
	}
	return rune(code), end
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f' || c == 0
}

func isAlpha(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }

func isAlnum(c byte) bool { return isAlpha(c) || ('0' <= c && c <= '9') }

// utf16Len is how many UTF-16 code units r takes: Telegram's entity
// offsets and lengths count those.
func utf16Len(r rune) int {
	if n := utf16.RuneLen(r); n > 0 {
		return n
	}
	return 1
}

// utf16Count is the length of s in UTF-16 code units.
func utf16Count(s string) int {
	n := 0
	for _, r := range s {
		n += utf16Len(r)
	}
	return n
}
