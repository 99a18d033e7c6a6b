package digest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
)

// DOCX writes the bulletin as a Word document (WordprocessingML) laid out
// by the conventions of GB/T 9704 for 党政机关公文, as far as a generated
// draft can follow them:
//
//   - A4, margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right (the
//     standard's 156 × 225 mm type area);
//   - title in 方正小标宋简体 二号 (22 pt), centred;
//   - body in 仿宋_GB2312 三号 (16 pt), fixed line spacing 28.95 pt (22
//     lines a page), first-line indent of two characters;
//   - 一、 headings in 黑体, （一） run-in headings in 楷体_GB2312;
//   - page numbers 宋体 四号 at the bottom as “— 1 —”, odd pages on the
//     right and even pages on the left, one character in from the edge.
//
// Fonts are named, not embedded: Word uses the machine's fonts and
// substitutes missing ones. Latin letters and digits are in Times New Roman.
// The 下一步工作 placeholder is highlighted so it is rewritten.
func (b *Bulletin) DOCX() ([]byte, error) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypesXML},
		{"_rels/.rels", rootRelsXML},
		{"docProps/core.xml", coreXML(b.Title)},
		{"docProps/app.xml", appXML},
		{"word/_rels/document.xml.rels", documentRelsXML},
		{"word/document.xml", b.documentXML()},
		{"word/styles.xml", stylesXML},
		{"word/settings.xml", settingsXML},
		{"word/fontTable.xml", fontTableXML},
		{"word/footer1.xml", footerXML("right")},
		{"word/footer2.xml", footerXML("left")},
	}
	for _, p := range parts {
		w, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: docxEpoch})
		if err != nil {
			return nil, fmt.Errorf("digest: docx: %w", err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			return nil, fmt.Errorf("digest: docx: %w", err)
		}
	}
	if err := z.Close(); err != nil {
		return nil, fmt.Errorf("digest: docx: %w", err)
	}
	return buf.Bytes(), nil
}

// docxEpoch stamps the zip entries, so one bulletin is always the same bytes.
var docxEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Measures in twentieths of a point (twips) and half-points.
const (
	mm          = 56.6929 // twips per millimetre
	lineExact   = 579     // 28.95 pt: 225 mm over 22 lines
	bodyHalfPt  = 32      // 三号 16 pt
	titleHalfPt = 44      // 二号 22 pt
	pageHalfPt  = 28      // 四号 14 pt
)

// Font names, as the office's computers know them (see README).
const (
	fontTitle = "方正小标宋简体"
	fontBody  = "仿宋_GB2312"
	fontHead  = "黑体"
	fontLead  = "楷体_GB2312"
	fontPage  = "宋体"
	fontLatin = "Times New Roman"
)

func (b *Bulletin) documentXML() string {
	var s strings.Builder
	s.WriteString(xml.Header)
	s.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>`)
	para(&s, "BulletinTitle", run("", b.Title, false))
	para(&s, "BulletinIssue", run("", b.Issue, false))
	// Issuer at the left, date at the right edge of the type area.
	para(&s, "BulletinIssuer", run("", b.Issuer, false)+`<w:r><w:tab/></w:r>`+run("", b.Date, false))
	for _, sec := range b.Sections {
		para(&s, "BulletinHeading", run("", sec.Heading, false))
		for _, p := range sec.Paras {
			var runs string
			if p.Lead != "" {
				runs += run("BulletinLead", p.Lead, p.Editable)
			}
			runs += run("", p.Text, p.Editable)
			para(&s, "BulletinBody", runs)
		}
	}
	fmt.Fprintf(&s, `<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/>`+
		`<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" w:footer="%d" w:gutter="0"/>`+
		`<w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="%d"/></w:sectPr>`,
		twips(37), twips(26), twips(35), twips(28), twips(22), lineExact)
	s.WriteString(`</w:body></w:document>`)
	return s.String()
}

func twips(millimetres float64) int { return int(millimetres*mm + 0.5) }

// para writes a paragraph of a style with its runs.
func para(s *strings.Builder, style, runs string) {
	fmt.Fprintf(s, `<w:p><w:pPr><w:pStyle w:val="%s"/></w:pPr>%s</w:p>`, style, runs)
}

// run is text in a character style (or none), highlighted when marked.
func run(style, text string, highlight bool) string {
	var props string
	if style != "" {
		props += `<w:rStyle w:val="` + style + `"/>`
	}
	if highlight {
		props += `<w:highlight w:val="yellow"/>`
	}
	if props != "" {
		props = "<w:rPr>" + props + "</w:rPr>"
	}
	return `<w:r>` + props + `<w:t xml:space="preserve">` + escapeXML(text) + `</w:t></w:r>`
}

// escapeXML escapes text for an element; characters XML cannot hold (most
// controls) become U+FFFD rather than breaking the document.
func escapeXML(text string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(text))
	return b.String()
}

// rFonts names a CJK font with Latin text in Times New Roman.
func rFonts(eastAsia, latin string) string {
	return fmt.Sprintf(`<w:rFonts w:ascii="%[2]s" w:hAnsi="%[2]s" w:eastAsia="%[1]s" w:cs="%[2]s" w:hint="eastAsia"/>`, eastAsia, latin)
}

// spacing is the fixed line spacing of the type area.
var spacing = fmt.Sprintf(`<w:spacing w:before="0" w:after="0" w:line="%d" w:lineRule="exact"/>`, lineExact)

// indent2 is the first-line indent of two body characters.
var indent2 = fmt.Sprintf(`<w:ind w:firstLineChars="200" w:firstLine="%d"/>`, 2*bodyHalfPt*10)

var stylesXML = xml.Header + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` + rFonts(fontBody, fontLatin) +
	fmt.Sprintf(`<w:kern w:val="2"/><w:sz w:val="%[1]d"/><w:szCs w:val="%[1]d"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/>`, bodyHalfPt) +
	`</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val="0"/>` + spacing + `<w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
	`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>` +
	paraStyle("BulletinTitle", "通报标题", `<w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="720" w:lineRule="exact"/><w:jc w:val="center"/>`,
		rFonts(fontTitle, fontLatin)+fmt.Sprintf(`<w:sz w:val="%[1]d"/><w:szCs w:val="%[1]d"/>`, titleHalfPt)) +
	paraStyle("BulletinIssue", "通报期号", `<w:keepNext/><w:jc w:val="center"/>`, rFonts(fontLead, fontLatin)) +
	paraStyle("BulletinIssuer", "通报发文机关", `<w:keepNext/><w:pBdr><w:bottom w:val="single" w:sz="12" w:space="4" w:color="C00000"/></w:pBdr>`+
		fmt.Sprintf(`<w:tabs><w:tab w:val="right" w:pos="%d"/></w:tabs>`, twips(210-28-26))+spacingAfter(lineExact), rFonts(fontLead, fontLatin)) +
	paraStyle("BulletinHeading", "通报一级标题", `<w:keepNext/>`+indent2+`<w:outlineLvl w:val="0"/>`, rFonts(fontHead, fontLatin)) +
	paraStyle("BulletinBody", "通报正文", indent2, "") +
	`<w:style w:type="character" w:customStyle="1" w:styleId="BulletinLead"><w:name w:val="通报二级标题"/><w:rPr>` + rFonts(fontLead, fontLatin) + `</w:rPr></w:style>` +
	paraStyle("BulletinPage", "页码", "", rFonts(fontPage, fontPage)+fmt.Sprintf(`<w:sz w:val="%[1]d"/><w:szCs w:val="%[1]d"/>`, pageHalfPt)) +
	`</w:styles>`

func paraStyle(id, name, pPr, rPr string) string {
	return fmt.Sprintf(`<w:style w:type="paragraph" w:customStyle="1" w:styleId="%s"><w:name w:val="%s"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr>%s</w:pPr><w:rPr>%s</w:rPr></w:style>`, id, name, pPr, rPr)
}

func spacingAfter(after int) string {
	return fmt.Sprintf(`<w:spacing w:before="0" w:after="%d" w:line="%d" w:lineRule="exact"/>`, after, lineExact)
}

// footerXML is the 公文 page number “— 1 —”, one 四号 character in from the
// side edge (right on odd pages, left on even ones).
func footerXML(side string) string {
	indent := fmt.Sprintf(`<w:ind w:%s="%d"/>`, side, pageHalfPt*10)
	dash := run("", "— ", false)
	return xml.Header + `<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		`<w:p><w:pPr><w:pStyle w:val="BulletinPage"/>` + indent + `<w:jc w:val="` + side + `"/></w:pPr>` + dash +
		`<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>` + run("", " —", false) + `</w:p></w:ftr>`
}

const contentTypesXML = xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const rootRelsXML = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const documentRelsXML = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
	`<Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>` +
	`<Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>` +
	`<Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>` +
	`</Relationships>`

// settingsXML turns on separate even-page footers and CJK punctuation
// compression.
const settingsXML = xml.Header + `<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/><w:characterSpacingControl w:val="compressPunctuation"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`</w:settings>`

// fontTableXML declares the fonts with the GB2312 charset (86) and the
// nearest font every Windows has, which Word falls back on.
var fontTableXML = xml.Header + `<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	fontEntry(fontTitle, "宋体", "roman") + fontEntry(fontBody, "仿宋", "modern") + fontEntry(fontHead, "SimHei", "modern") +
	fontEntry(fontLead, "楷体", "modern") + fontEntry(fontPage, "SimSun", "auto") +
	`<w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>` +
	`</w:fonts>`

func fontEntry(name, alt, family string) string {
	return fmt.Sprintf(`<w:font w:name="%s"><w:altName w:val="%s"/><w:charset w:val="86"/><w:family w:val="%s"/><w:pitch w:val="variable"/></w:font>`, name, alt, family)
}

func coreXML(title string) string {
	return xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
		`<dc:title>` + escapeXML(title) + `</dc:title><dc:creator>reformbot</dc:creator></cp:coreProperties>`
}

const appXML = xml.Header + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>reformbot</Application></Properties>`
