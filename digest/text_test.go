package digest

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/luohu/reformbot/plan"
)

var (
	tagRe    = regexp.MustCompile(`^</?[bi]>`)
	entityRe = regexp.MustCompile(`^&(lt|gt|amp|quot|#[0-9]+);`)
)

// checkHTML accepts only what Telegram's HTML parse mode takes from us:
// balanced <b> and <i>, and escaped <, >, &.
func checkHTML(s string) error {
	var open []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			tag := tagRe.FindString(s[i:])
			if tag == "" {
				return fmt.Errorf("unexpected tag at %q", s[i:min(len(s), i+20)])
			}
			if tag[1] == '/' {
				if len(open) == 0 || open[len(open)-1] != tag[2:3] {
					return fmt.Errorf("unbalanced %s at %d", tag, i)
				}
				open = open[:len(open)-1]
			} else {
				open = append(open, tag[1:2])
			}
			i += len(tag)
		case '&':
			e := entityRe.FindString(s[i:])
			if e == "" {
				return fmt.Errorf("bare & at %q", s[i:min(len(s), i+20)])
			}
			i += len(e)
		case '>':
			return fmt.Errorf("bare > at %d", i)
		default:
			i++
		}
	}
	if len(open) > 0 {
		return fmt.Errorf("unclosed %v", open)
	}
	return nil
}

func TestCheckHTML(t *testing.T) {
	for s, ok := range map[string]bool{
		"<b>a</b> &lt;&amp;&#39;": true, "<b>a": false, "<b><i></b></i>": false,
		"a & b": false, "<u>x</u>": false, "a > b": false,
	} {
		if err := checkHTML(s); (err == nil) != ok {
			t.Errorf("checkHTML(%q) = %v", s, err)
		}
	}
}

func TestMessages(t *testing.T) {
	in := testInput(t)
	in.Period, in.Acceptance = "2017-12", testAcceptance()
	for _, tt := range []struct {
		name string
		in   Input
		has  []string
	}{
		{"april", testInput(t), []string{
			"📊 <b>2017年4月 改革进展汇总</b>", "生成时间：2017年5月2日 09:00",
			"应填报 12 项（任务×责任单位），已填报 9 项（75%），未填报 3 项，困难 1 项",
			"🔴 1.1 强区放权改革 3/3（困难 1、停滞 1）", "🟢 2.2 城市更新改革 1/1",
			"• 1.1.1 推进事权下放｜区编办：编制方案未获批 &lt;急&gt; &amp; 待协调",
			"• 2.1.1 推进医联体建设｜区卫计局：进度滞后（2017年2月至2017年4月）",
			"• 区发改局（1）：2.3.1", "• 区委改革办 联络人（ID 103）：已屏蔽机器人或未启动对话",
			"详见附件 Excel 和图表。",
		}},
		{"december", in, []string{"📦 2017年度成果验收材料（已提交 2/8 项）",
			"• 1.1.1 推进事权下放：已提交 区编办「事权下放清单」（附件 2 个）、区法制办「法制审核意见」",
			"• 1.2.1 街道财政预算改革：未提交 区财政局"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			msgs := Build(tt.in).Messages()
			if len(msgs) == 0 || !strings.HasPrefix(msgs[0], "📊 <b>") {
				t.Fatalf("first message is not the headline: %q", msgs)
			}
			all := strings.Join(msgs, "\n")
			for _, s := range tt.has {
				if !strings.Contains(all, s) {
					t.Errorf("messages lack %q:\n%s", s, all)
				}
			}
			for i, m := range msgs {
				if n := utf8.RuneCountInString(m); n > MessageLimit {
					t.Errorf("message %d has %d runes", i, n)
				}
				if err := checkHTML(m); err != nil {
					t.Errorf("message %d: %v", i, err)
				}
			}
		})
	}
}

func TestMessagesSplit(t *testing.T) {
	in := testInput(t)
	in.Reports = nil
	long := strings.Repeat("协调<事项>&", 40) // 360 runes, clipped to 200
	for _, m := range testPlan().Measures() {
		for i := range 40 {
			in.Reports = append(in.Reports, rep(m.Measure.ID, fmt.Sprintf("单位%02d", i), apr, plan.NeedsHelp, long))
		}
	}
	// The plan must assign those units for the reports to count.
	in.Plan = testPlan()
	for ci := range in.Plan.Categories {
		for pi := range in.Plan.Categories[ci].Projects {
			ms := in.Plan.Categories[ci].Projects[pi].Measures
			for mi := range ms {
				for i := range 40 {
					ms[mi].CoUnits = append(ms[mi].CoUnits, fmt.Sprintf("单位%02d", i))
				}
			}
		}
	}
	d := Build(in)
	msgs := d.Messages()
	if len(msgs) < 3 {
		t.Fatalf("%d difficulties in %d messages; want a split", len(d.Difficulties), len(msgs))
	}
	var got []string
	for i, m := range msgs {
		if size(m) > MessageLimit || utf8.RuneCountInString(m) > MessageLimit {
			t.Errorf("message %d too long: %d", i, size(m))
		}
		if err := checkHTML(m); err != nil {
			t.Errorf("message %d: %v", i, err)
		}
		lines := strings.Split(m, "\n")
		if i > 0 {
			if want := fmt.Sprintf("（续 %d/%d）", i+1, len(msgs)); !strings.HasSuffix(lines[0], want) {
				t.Errorf("message %d starts %q, want the continuation header", i, lines[0])
			}
			lines = lines[1:]
		}
		got = append(got, lines...)
	}
	// Every line arrives whole and in order.
	var want []string
	for _, l := range d.difficultySection() {
		want = append(want, l)
	}
	joined := "\n" + strings.Join(got, "\n") + "\n"
	if !strings.Contains(joined, "\n"+strings.Join(want, "\n")+"\n") {
		t.Error("the difficulty lines were cut or reordered across messages")
	}
}

func TestFit(t *testing.T) {
	line := "<b>" + strings.Repeat("a&amp;", 100) + "</b>"
	got := fit(line, 50)
	if size(got) > 50 || checkHTML(got) != nil || !strings.HasSuffix(got, "…") {
		t.Errorf("fit = %q (size %d, html %v)", got, size(got), checkHTML(got))
	}
	if fit("short", 50) != "short" {
		t.Error("fit changed a short line")
	}
}

func TestPlainText(t *testing.T) {
	in := testInput(t)
	in.Reports = append(in.Reports, rep("2.3.1", "区发改局", apr, plan.NeedsHelp, "文本含 <b> 与 &amp;"))
	got := Build(in).PlainText()
	for _, s := range []string{
		"📊 2017年4月 改革进展汇总\n", "• 1.1.1 推进事权下放｜区编办：编制方案未获批 <急> & 待协调\n",
		"• 2.3.1 商事登记便利化｜区发改局：文本含 <b> 与 &amp;\n", "详见附件 Excel 和图表。\n",
	} {
		if !strings.Contains(got, s) {
			t.Errorf("plain text lacks %q:\n%s", s, got)
		}
	}
	if strings.Contains(got, "</b>") || strings.Contains(got, "<i>") || strings.Contains(got, "&lt;") {
		t.Errorf("plain text has markup:\n%s", got)
	}
}
