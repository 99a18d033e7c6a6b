package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/luohu/reformbot/plan"
)

// words are the parts of what users read that come from the plan in force
// and the configuration, never from one district or one year: the plan's
// title, whether it is the sample, when prompts and digests go out, and
// examples taken from the plan itself.
type words struct {
	title      string // the plan in force
	sample     bool
	cadence    plan.Cadence
	unitEx     string // a unit with tasks, for /unit examples
	measureEx  string // a measure ID, for /measure examples
	searchEx   string // a word that finds a measure, for 搜索 examples
	promptWhen string // e.g. 每月25日; "" when the schedule says no such thing
	digestWhen string
}

// words are the texts' variable parts at t.
func (h *Handlers) words(t time.Time) words {
	v := h.current(t)
	w := words{
		title:      v.plan.Title,
		sample:     v.plan.Sample,
		cadence:    v.plan.Reporting.Cadence,
		unitEx:     "单位名称",
		measureEx:  "1.1.1",
		searchEx:   "改革",
		promptWhen: whenText(h.promptSpec),
		digestWhen: whenText(h.digestSpec),
	}
	if units := v.ix.unitNames(); len(units) > 0 {
		w.unitEx = units[0]
	}
	if len(v.ix.order) > 0 {
		first := v.ix.order[0]
		w.measureEx = first.Measure.ID
		if word := firstRunes(first.Project.Title, 4); word != "" {
			w.searchEx = word
		}
	}
	return w
}

// name is how the bot introduces itself.
func (w words) name() string {
	if w.title == "" {
		return "<b>改革任务填报助手</b>"
	}
	return fmt.Sprintf("<b>%s</b> 填报助手", esc(w.title))
}

// sampleNote tells users that the plan in force is the sample, and the
// office how to load its own; "" for a real plan.
func (w words) sampleNote() string {
	if !w.sample {
		return ""
	}
	return "\n\n📋 当前为<b>示例计划</b>，仅供试用。"
}

// officeSampleNote is sampleNote for the office, with how to load its own
// plan (a unit contact has nothing to do about it).
func (w words) officeSampleNote() string {
	if !w.sample {
		return ""
	}
	return w.sampleNote() + "可用 <code>reformbot plan activate 计划文件</code> 载入本地区的改革计划。"
}

// period is 当月 or 当季度, as the plan reports.
func (w words) period() string {
	if w.cadence == plan.Quarterly {
		return "本季度"
	}
	return "当月"
}

// whenText says when a cron spec (minute hour day month weekday) fires, as
// people say it: 每月25日, or 每年3、6、9、12月25日; "" for a spec too
// irregular to put in a few words.
func whenText(spec string) string {
	f := strings.Fields(spec)
	if len(f) != 5 || f[4] != "*" {
		return ""
	}
	day, err := strconv.Atoi(f[2])
	if err != nil || day < 1 || day > 31 {
		return ""
	}
	if f[3] == "*" {
		return fmt.Sprintf("每月%d日", day)
	}
	var months []string
	for _, m := range strings.Split(f[3], ",") {
		n, err := strconv.Atoi(m)
		if err != nil || n < 1 || n > 12 {
			return ""
		}
		months = append(months, strconv.Itoa(n))
	}
	return fmt.Sprintf("每年%s月%d日", strings.Join(months, "、"), day)
}

func firstRunes(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
