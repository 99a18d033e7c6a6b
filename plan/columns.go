package plan

import (
	"regexp"
	"strings"
)

// The columns of a task table, told from its header row: the names
// offices give them (序号, 改革任务, 具体措施, 牵头单位, 配合单位, 责任单位,
// 完成时限, 责任领导…) and, failing those, the words in them.

type column int

const (
	colOther column = iota
	colNumber
	colCategory
	colProject
	colText
	colLead
	colCo
	colResponsible
	colDeadline
	colLeader
)

// columnNames are the header texts of each column, as offices write them.
var columnNames = map[string]column{
	"序号": colNumber, "编号": colNumber, "序": colNumber,
	"类别": colCategory, "领域": colCategory, "改革领域": colCategory, "重点领域": colCategory, "板块": colCategory, "改革类别": colCategory, "分类": colCategory,
	"项目": colProject, "改革项目": colProject, "重点项目": colProject, "项目名称": colProject,
	"牵头单位": colLead, "牵头部门": colLead, "主责单位": colLead, "主责部门": colLead, "牵头责任单位": colLead, "牵头": colLead,
	"配合单位": colCo, "协办单位": colCo, "参与单位": colCo, "配合部门": colCo, "协办部门": colCo, "协同单位": colCo, "参与部门": colCo, "配合": colCo,
	"责任单位": colResponsible, "责任部门": colResponsible, "责任主体": colResponsible,
	"完成时限": colDeadline, "时间节点": colDeadline, "时限要求": colDeadline, "完成时间": colDeadline, "时间要求": colDeadline, "时限": colDeadline,
	"责任领导": colLeader, "牵头领导": colLeader, "分管领导": colLeader, "牵头区领导": colLeader, "责任人": colLeader,
}

// textWords make a header a task column: 改革任务, 具体措施, 工作内容.
var textWords = []string{"措施", "任务", "内容", "事项", "举措", "要点", "重点工作"}

var headerNoise = regexp.MustCompile(`[（(][^）)]*[）)]$`)

func classifyColumn(header string) column {
	h := strings.Join(strings.Fields(header), "")
	h = headerNoise.ReplaceAllString(h, "")
	if c, ok := columnNames[h]; ok {
		return c
	}
	if len([]rune(h)) > 8 {
		return colOther
	}
	switch {
	case strings.Contains(h, "牵头") && containsAny(h, "单位", "部门"):
		return colLead
	case containsAny(h, "配合", "协办", "参与") && containsAny(h, "单位", "部门"):
		return colCo
	case strings.Contains(h, "责任") && containsAny(h, "单位", "部门"):
		return colResponsible
	case containsAny(h, "时限", "时间节点", "完成时间"):
		return colDeadline
	case strings.Contains(h, "领导"):
		return colLeader
	case containsAny(h, textWords...):
		return colText
	}
	return colOther
}

// tableLayout is what a header row says each column holds.
type tableLayout struct {
	cols            []column
	number, measure int // column indexes, -1 when absent
	category, proj  int
	// title is a column that names each row's measure (重点任务 beside
	// 具体内容, never repeated down the rows): it leads the measure's text.
	title int
}

// headerLayout returns the layout of a header row; ok is false unless the row
// names a task column and a unit column.
func headerLayout(cells []string) (tableLayout, bool) {
	l := tableLayout{cols: make([]column, len(cells)), number: -1, measure: -1, category: -1, proj: -1, title: -1}
	var texts []int
	units := false
	for i, c := range cells {
		l.cols[i] = classifyColumn(c)
		switch l.cols[i] {
		case colNumber:
			if l.number < 0 {
				l.number = i
			}
		case colCategory:
			if l.category < 0 {
				l.category = i
			}
		case colProject:
			if l.proj < 0 {
				l.proj = i
			}
		case colText:
			if len(texts) == 0 || texts[len(texts)-1] != i-1 || cells[i] != cells[i-1] {
				texts = append(texts, i)
			}
		case colLead, colCo, colResponsible:
			units = true
		}
	}
	switch {
	case len(texts) == 0 && l.proj >= 0:
		l.measure, l.proj = l.proj, -1
	case len(texts) == 1:
		l.measure = texts[0]
	case len(texts) >= 2:
		// 改革任务 then 具体措施: the first is the project, the last the
		// measure.
		if l.proj < 0 {
			l.proj = texts[0]
		}
		l.measure = texts[len(texts)-1]
	}
	return l, l.measure >= 0 && units
}
