package bot

import (
	"strings"
	"testing"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

func TestOfficeQueries(t *testing.T) {
	h := newHarness(t)
	boss := fakeapi.User{ID: 9001}
	u := fakeapi.User{ID: 1001, FirstName: "张三"}
	h.bind(boss, store.RoleOffice, "")
	h.bind(u, store.RoleContact, "区编办")
	report(t, h, u, "2.1.1", "存在困难需协调", "编制不足。")
	// The difficulty alert goes to the office too, and holds the words
	// the measure's answer is waited for by: let it arrive first.
	h.waitText(boss.ID, "困难反映")
	h.settle()

	tests := []struct {
		name, input string
		want        []string
		not         []string
	}{
		{"overview", "/overview", []string{"2017年4月 改革进展汇总", "🔴 2.1 强区放权体制机制改革 1/3", "困难 1 项"}, nil},
		{"overview button", "本期总览", []string{"改革进展汇总"}, nil},
		{"missing", "/missing", []string{"未填报（已绑定联络人）1 个单位：\n区编办（2）：2.1.2、2.3.3",
			"未绑定联络人", "区法制办（1）：2.1.1"}, []string{"区编办（3）"}},
		{"unit", "/unit 区编办", []string{"区编办 · 2017年4月", "存在困难需协调", "联络人：张三"}, nil},
		{"unit in Traditional", "/unit 區編辦", []string{"区编办 · 2017年4月"}, nil},
		{"unknown unit", "/unit 区编制办", []string{"未找到单位「区编制办」", "您是否要找：区编办"}, nil},
		{"unit without a name", "/unit", []string{"请输入单位名称"}, nil},
		{"measure", "/measure 2.1.1", []string{"2.1.1 强区放权“大职能”", "编制不足。", "区法制办（牵头）：尚未填报"}, nil},
		{"unknown measure", "/measure 9.9.9", []string{"未找到任务编号「9.9.9」"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := h.say(boss, tt.input, tt.want[0])
			for _, w := range tt.want[1:] {
				if !strings.Contains(m.PlainText, w) {
					t.Errorf("answer lacks %q:\n%s", w, m.PlainText)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(m.PlainText, w) {
					t.Errorf("answer has %q:\n%s", w, m.PlainText)
				}
			}
		})
	}
}

func TestSearchTheRealPlan(t *testing.T) {
	h := newHarness(t, withPlan(plan.Default()))
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	tests := []struct {
		query string
		want  []string
	}{
		{"搜索 棚改", []string{"3.1.1 推进棚改政策创新"}},
		{"城市更新", []string{"3.3.1", "城市更新工作机制深化改革"}},
		{"搜索 區財政局", []string{"4.2.1"}},
		{"查找：4.3.5", []string{"找到 1 项", "4.3.5"}},
		{"搜索 大數據", []string{"2.1.6"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			m := h.say(u, tt.query, "找到")
			for _, w := range tt.want {
				if !strings.Contains(m.PlainText, w) {
					t.Errorf("%q: answer lacks %q:\n%s", tt.query, w, m.PlainText)
				}
			}
			n := 0
			for _, b := range m.Markup.Buttons() {
				if b.Text != labelPrev && b.Text != labelNext { // paging, not results
					n++
				}
			}
			if n == 0 || n > maxResults {
				t.Errorf("%d result buttons", n)
			}
		})
	}
}

// 我的任务 for the unit with the most measures fits Telegram's limits,
// and every button works.
func TestBiggestTaskListFits(t *testing.T) {
	h := newHarness(t, withPlan(plan.Default()))
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区财政局")
	m := h.say(u, "我的任务", "区财政局 · 2017年4月")
	if n := len(m.Markup.Buttons()); n != 13 {
		t.Errorf("%d buttons, want 13 (区财政局's measures)", n)
	}
	for _, b := range m.Markup.Buttons() {
		if len(b.CallbackData) > 64 {
			t.Errorf("callback_data %q is over 64 bytes", b.CallbackData)
		}
	}
}

func TestSplitText(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{"short", "ab\ncd", 10, []string{"ab\ncd"}},
		{"at lines", "aaaa\nbbbb\ncccc", 10, []string{"aaaa\nbbbb", "cccc"}},
		{"a long line", "aaaaaaaaaaaa", 5, []string{"aaaaa", "aaaaa", "aa"}},
		{"runes not bytes", "一二三四五\n六七八九十", 5, []string{"一二三四五", "六七八九十"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitText(tt.text, tt.limit)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("splitText = %q, want %q", got, tt.want)
			}
		})
	}
}
