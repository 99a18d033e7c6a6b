package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

var update = flag.Bool("update", false, "rewrite golden files and default.yaml from a fresh import")

const seedPath = "testdata/luohu-2017-reform-plan.txt"

func importFile(t testing.TB, path string) (*Plan, []Warning) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, warnings, err := Import(f)
	if err != nil {
		t.Fatalf("Import(%s): %v", path, err)
	}
	return p, warnings
}

// TestImportSeedGolden compares the whole JSON export of the seed with
// testdata/luohu-2017-reform-plan.golden.json; -update rewrites it.
func TestImportSeedGolden(t *testing.T) {
	p, warnings := importFile(t, seedPath)
	got, err := json.MarshalIndent(NewExport(p, warnings), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := "testdata/luohu-2017-reform-plan.golden.json"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("import of the seed differs from %s; run go test ./plan -run TestImportSeedGolden -update and review the diff", golden)
	}
}

func TestImportSeed(t *testing.T) {
	p, warnings := importFile(t, seedPath)

	projects := 0
	for _, c := range p.Categories {
		projects += len(c.Projects)
	}
	if len(p.Categories) != 3 || projects != 13 || len(p.Measures()) != 67 || len(p.Units) != 38 {
		t.Errorf("got %d categories, %d projects, %d measures, %d units; want 3, 13, 67, 38",
			len(p.Categories), projects, len(p.Measures()), len(p.Units))
	}
	if p.Title != "深圳市罗湖区2017年改革计划" || p.DocNumber != "罗办发〔2017〕1号" || p.Published != "2017-03-28" || p.Year != 2017 {
		t.Errorf("header: %q %q %q %d", p.Title, p.DocNumber, p.Published, p.Year)
	}
	if want := []string{"中共深圳市罗湖区委办公室", "深圳市罗湖区人民政府办公室"}; !slices.Equal(p.Issuers, want) {
		t.Errorf("issuers %q, want %q", p.Issuers, want)
	}
	if p.Reporting.Cadence != Monthly || !p.Reporting.Acceptance || len(p.Reporting.Basis) != 2 {
		t.Errorf("reporting %+v, want monthly with acceptance and two sentences", p.Reporting)
	}

	var titles []string
	for _, c := range p.Categories {
		titles = append(titles, c.Title)
	}
	if want := []string{"新推重点改革项目", "深化重点改革项目", "前期探索改革项目"}; !slices.Equal(titles, want) {
		t.Errorf("categories %q, want %q", titles, want)
	}
	projectTitles := map[string]bool{}
	for _, c := range p.Categories {
		for _, pr := range c.Projects {
			projectTitles[pr.Title] = true
		}
	}
	for _, want := range []string{"强区放权体制机制改革", "人力资源统筹配置改革", "公共资源交易改革", "城市更新工作机制深化改革", "政府投资项目运行机制改革", "区属国有企业改革"} {
		if !projectTitles[want] {
			t.Errorf("no project titled %q", want)
		}
	}

	first, _ := p.Measure("2.1.1")
	if m := first.Measure; m.Title != "强区放权“大职能”" || !slices.Equal(m.LeadUnits, []string{"区编办", "区法制办"}) || len(m.CoUnits) != 0 {
		t.Errorf("2.1.1 = %+v", m)
	}
	if m, _ := p.Measure("2.3.2"); !slices.Equal(m.Measure.CoUnits, []string{"区投资推广局"}) {
		t.Errorf("2.3.2 co-units %q", m.Measure.CoUnits)
	}
	if m, _ := p.Measure("4.1.1"); !strings.HasSuffix(m.Measure.Text, "决策和协调") {
		t.Errorf("4.1.1 text keeps its unit clause: %q", m.Measure.Text)
	}

	// Nothing the page garbled is left where people read it.
	garbage := regexp.MustCompile(`[?？□a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü〈〉]|[ㄅ-ㄩ┌-╋]`)
	check := func(what, s string) {
		if s == "" || garbage.MatchString(s) || ToSimplified(s) != s {
			t.Errorf("%s %q is empty, garbled or not Simplified", what, s)
		}
	}
	for _, c := range p.Categories {
		check("category", c.Title)
		for _, pr := range c.Projects {
			check("project", pr.Title)
			for _, m := range pr.Measures {
				check("measure "+m.ID, m.Title)
				if len(m.LeadUnits) == 0 {
					t.Errorf("measure %s has no lead unit", m.ID)
				}
				if strings.ContainsAny(m.Text, "?ǎ") {
					t.Errorf("measure %s text still garbled: %q", m.ID, m.Text)
				}
			}
		}
	}
	for _, u := range p.Units {
		check("unit", u.Name)
	}

	for _, w := range warnings {
		if w.Line < 1 || w.Line > 117 {
			t.Errorf("warning without a line of the document: %v", w)
		}
	}
	if problems := p.Validate(); len(problems) > 0 {
		t.Errorf("the imported seed has problems: %v", problems)
	}
}

func TestImportUnitsOfSeed(t *testing.T) {
	p, _ := importFile(t, seedPath)
	tests := []struct {
		name, query, want string
		group             bool
	}{
		{"canonical", "区编办", "区编办", false},
		{"abbreviation in measure text", "区住建局", "区住房建设局", false},
		{"traditional", "區財政局", "区财政局", false},
		{"angle brackets", "区委〈政府〉办", "区委（政府）办", false},
		{"half-width brackets", "区纪委(监察局)", "区纪委（监察局）", false},
		{"streets", "各街道办", "各街道办", true},
		{"law enforcement", "各行政执法部门", "各行政执法部门", true},
		{"committee members", "区物业管理委员会各成员单位", "区物业管理委员会各成员单位", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, ok := p.Unit(tt.query)
			if !ok || u.Name != tt.want || u.Group != tt.group {
				t.Errorf("Unit(%q) = %+v, %v; want %s (group %v)", tt.query, u, ok, tt.want, tt.group)
			}
		})
	}
}

// TestImportForms reads a document in each of the other clause forms.
func TestImportForms(t *testing.T) {
	type measure struct{ id, title, lead, co string }
	tests := []struct {
		name     string
		file     string
		title    string
		cadence  Cadence
		measures []measure
	}{
		{"unit lines after items", "forms-own-lines.txt", "某某区2020年全面深化改革工作要点", Quarterly, []measure{
			{"1.1.1", "推进商事制度改革，压缩企业开办时间", "区市场监管局", "区政务服务数据管理局、区税务局"},
			{"1.1.2", "深化工程建设项目审批制度改革", "区住建局", ""},
			{"1.2.1", "推进预算绩效管理改革，建立全过程预算绩效管理体系", "区财政局", ""},
			{"2.1.1", "推进集团化办学", "区教育局", "各街道办"},
		}},
		{"lead and duty in brackets", "forms-keyword.txt", "某某市2019年改革任务分工方案", Monthly, []measure{
			{"1.1", "完善河长制工作机制，建立健全考核办法", "市水务局、市环保局", "各区政府"},
			{"1.2", "推进生活垃圾分类", "市城管局", "市发展改革委、市财政局"},
			{"1.3", "开展营商环境评价", "市发展改革委", ""},
		}},
		{"responsible units alone", "forms-responsible.txt", "2021年区级改革要点", Monthly, []measure{
			{"1.1", "推行“一网通办”，实现政务服务事项全程网办", "区政务服务数据管理局", ""},
			{"1.2", "推进“证照分离”改革全覆盖", "区市场监管局、区司法局", ""},
			{"2.1", "推进城市管理精细化", "区城管局", ""},
		}},
		{"numbered items only", "forms-numbered-only.txt", "区机关作风建设工作任务清单", Monthly, []measure{
			{"1", "建立首问负责制", "区委办", ""},
			{"2", "开展作风巡查，每月通报一次", "区纪委监委", "区委组织部"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, warnings := importFile(t, "testdata/"+tt.file)
			if p.Title != tt.title || p.Reporting.Cadence != tt.cadence {
				t.Errorf("title %q cadence %s, want %q %s", p.Title, p.Reporting.Cadence, tt.title, tt.cadence)
			}
			var got []measure
			for _, task := range p.Measures() {
				m := task.Measure
				got = append(got, measure{m.ID, m.Title, strings.Join(m.LeadUnits, "、"), strings.Join(m.CoUnits, "、")})
			}
			if !slices.Equal(got, tt.measures) {
				t.Errorf("measures\n got %q\nwant %q", got, tt.measures)
			}
			if problems := p.Validate(); len(problems) > 0 {
				t.Errorf("problems: %v", problems)
			}
			if tt.cadence == Monthly && p.Reporting.Basis == nil && len(warnings) == 0 {
				t.Errorf("assumed a monthly cadence without a warning")
			}
		})
	}
}

// A GBK file, as a Chinese government site serves it, reads like UTF-8.
func TestImportGBK(t *testing.T) {
	utf, err := os.ReadFile("testdata/forms-own-lines.txt")
	if err != nil {
		t.Fatal(err)
	}
	gbkBytes, err := simplifiedchinese.GBK.NewEncoder().Bytes(utf)
	if err != nil {
		t.Fatal(err)
	}
	p, warnings, err := Import(bytes.NewReader(gbkBytes))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := importFile(t, "testdata/forms-own-lines.txt")
	a, _ := json.Marshal(p)
	b, _ := json.Marshal(want)
	if !bytes.Equal(a, b) {
		t.Errorf("GBK import differs from UTF-8 import")
	}
	if len(warnings) == 0 || !strings.Contains(warnings[0].Message, "GBK") {
		t.Errorf("no warning that the file was GBK: %v", warnings)
	}
}

// endless is a reader of n bytes of Chinese text that counts what was read.
type endless struct {
	n, read int
}

func (e *endless) Read(p []byte) (int, error) {
	if e.read >= e.n {
		return 0, io.EOF
	}
	line := []byte("1.推进改革。（牵头单位：区编办）\n")
	k := 0
	for k < len(p) && e.read < e.n {
		p[k] = line[e.read%len(line)]
		k++
		e.read++
	}
	return k, nil
}

func TestImportBadInput(t *testing.T) {
	notPlan, err := os.ReadFile("testdata/not-a-plan.txt")
	if err != nil {
		t.Fatal(err)
	}
	binary := make([]byte, 4096)
	for i := range binary {
		binary[i] = byte(i * 7)
	}
	tests := []struct {
		name  string
		input []byte
		want  error
	}{
		{"empty", nil, ErrEmpty},
		{"blank", []byte(" \n\t\r\n"), ErrEmpty},
		{"binary", binary, ErrBinary},
		{"NUL bytes", []byte("一、改革\x00\x00\x00"), ErrBinary},
		{"invalid encoding", []byte{0x80, 0x81, 0xfe, 0xff, 0xc0, 0x20}, ErrBinary},
		{"no plan", notPlan, ErrNoPlan},
		{"English", []byte("Minutes of the meeting.\n1. Coffee.\n"), ErrNoPlan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, warnings, err := Import(bytes.NewReader(tt.input))
			if !errors.Is(err, tt.want) || p != nil || warnings != nil {
				t.Errorf("Import = %v, %v, %v; want error %v and nothing else", p, warnings, err, tt.want)
			}
		})
	}
	t.Run("10 MB", func(t *testing.T) {
		r := &endless{n: 10 << 20}
		p, _, err := Import(r)
		if !errors.Is(err, ErrTooLarge) || p != nil {
			t.Fatalf("Import = %v, %v; want ErrTooLarge", p, err)
		}
		if r.read > MaxDocumentSize+64<<10 {
			t.Errorf("read %d bytes of a document it refuses", r.read)
		}
		if !strings.Contains(err.Error(), "larger than 8 MiB") {
			t.Errorf("error %q does not say why", err)
		}
	})
}

func FuzzImport(f *testing.F) {
	for _, name := range []string{seedPath, "testdata/forms-own-lines.txt", "testdata/forms-keyword.txt", "testdata/forms-responsible.txt", "testdata/forms-numbered-only.txt", "testdata/not-a-plan.txt"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if name != seedPath {
			f.Add(data)
			continue
		}
		// Pieces of the seed with its damage: the whole seed is slow to
		// mutate and run with coverage on.
		lines := strings.Split(string(data), "\n")
		for _, r := range [][2]int{{0, 12}, {17, 27}, {90, 100}, {111, 117}} {
			f.Add([]byte(strings.Join(lines[r[0]:r[1]], "\n")))
		}
	}
	f.Add([]byte("二、改革\n（一）?。ㄒ唬?qiáng)區(qū)\n1.x（牵头单位：区编办）"))
	f.Add([]byte("1.推进（区编办牵头，各街道按职责分工负责）\n牵头单位：\n责任单位：、、"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, warnings, err := Import(bytes.NewReader(data))
		if err != nil {
			if p != nil || warnings != nil {
				t.Fatalf("error %v with a plan", err)
			}
			return
		}
		if len(p.Measures()) == 0 {
			t.Fatal("a plan without measures")
		}
		for _, w := range warnings {
			if w.Line < 1 || !utf8.ValidString(w.Message) {
				t.Fatalf("bad warning %+v", w)
			}
		}
		// Whatever was imported survives the plan file.
		var buf bytes.Buffer
		if err := p.WriteYAML(&buf); err != nil {
			t.Fatal(err)
		}
		q, err := Parse(buf.Bytes())
		if err != nil {
			t.Fatalf("written plan does not parse: %v\n%s", err, buf.Bytes())
		}
		a, _ := json.Marshal(p)
		b, _ := json.Marshal(q)
		if !bytes.Equal(a, b) {
			t.Fatalf("plan file changes the plan:\n%s\n%s", a, b)
		}
	})
}

func BenchmarkImportSeed(b *testing.B) {
	data, err := os.ReadFile(seedPath)
	if err != nil {
		b.Fatal(err)
	}
	ToSimplified("預熱") // load OpenCC's dictionaries outside the loop
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := Import(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImportLarge imports a document just under MaxDocumentSize that
// is damaged every few characters: the worst case for the repair, whose
// time must stay linear.
func BenchmarkImportLarge(b *testing.B) {
	var doc bytes.Buffer
	for doc.Len() < MaxDocumentSize-4096 {
		doc.WriteString("1.推进改革，深化体制?机制创新。（牵头单位：区编办、区法制办；协办单位：区财政局）\n")
	}
	data := doc.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := Import(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// Imports share OpenCC's dictionaries and the GBK table; they must not race.
func TestImportConcurrently(t *testing.T) {
	data, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	for range 4 {
		go func() {
			_, _, err := Import(bytes.NewReader(data))
			done <- err
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
