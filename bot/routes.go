package bot

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/go-telegram/bot/models"
)

// The bot's routes in one table: every command and every reply-keyboard
// button, with who it is for, its menu entry and its help line. The
// command menu (setCommands), the help's command lines (helpText), the
// reply keyboards (contactKeyboard, officeKeyboard) and the dispatch of
// commands and button labels (onCommand, onMessage) are all built from it,
// so adding a command is adding one entry. The handlers stay where they
// are; the table only names them.

// role is who a route is for: whose help and menu show it. The handlers
// still check the office themselves; the role does not gate dispatch
// beyond anyone (no binding needed) versus bound.
type role int

const (
	roleAnyone  role = iota // before binding: /start, /help
	roleContact             // a unit's contact
	roleOffice              // the reform office; its menu entries say （改革办）
	roleBound               // both a unit's contact and the office
)

func (o role) contact() bool { return o == roleContact || o == roleBound }
func (o role) office() bool  { return o == roleOffice || o == roleBound }

// keyPos is a button's place on a reply keyboard, row and column from 1;
// row 0 means no button.
type keyPos struct{ row, col int }

// helpLine is a route's line in one role's help, in help order.
type helpLine struct {
	order int
	text  func(w words) string
}

type route struct {
	command string   // "tasks" for /tasks; "" for a button only
	aliases []string // other commands that do the same (/mytasks)
	label   string   // the reply-keyboard button, if any
	words   []string // other texts that do the same as the button (任务, 总览, 取消)
	role    role
	handler func(h *Handlers, r *request, args string) error

	menu   string               // the menu description; "" keeps it out of the menu
	menuEx func(w words) string // appended to menu: an example from the plan

	contactHelp, officeHelp helpLine // text nil: not in that help
	helpName                string   // how help names it when not "/command" (搜索)

	contactKey, officeKey keyPos
	// webApp routes exist only with Config.WebAppURL set, and only for the
	// office (工作台).
	webApp bool
	// needsBulletins routes exist only with Config.Bulletins set: help and
	// the menu leave them out otherwise.
	needsBulletins bool
}

// routes is the table, in menu order. It is filled in init: the handlers
// reach the keyboards, which are built from the table.
var routes []route

func routeTable() []route {
	return []route{
		{command: "start", role: roleAnyone, handler: (*Handlers).start},
		{
			command: "tasks", aliases: []string{"mytasks"}, label: labelTasks, words: []string{"任务", "我的任务列表", "tasks"},
			role: roleContact, handler: func(h *Handlers, r *request, _ string) error { return h.showTasks(r) },
			menu: "我的任务：本单位任务和本期填报",
			contactHelp: helpLine{1, func(words) string {
				return "· 我的任务（/tasks）：本单位的改革任务和本期填报情况\n" +
					"· 点任务查看详情，点「填报进展」选择状态并说明进展，可附照片或文件\n" +
					"· 保存后点「下一项」接着报；没有新情况的任务可点「本期无新进展」\n"
			}},
			contactKey: keyPos{1, 1},
		},
		{
			command: "help", label: labelHelp, words: []string{"help", "？", "?"},
			role: roleAnyone, handler: (*Handlers).help,
			menu:       "帮助",
			contactKey: keyPos{1, 2}, officeKey: keyPos{2, 2},
		},
		{
			command: "cancel", words: []string{"取消"},
			role: roleContact, handler: func(h *Handlers, r *request, _ string) error { return h.cancel(r, "") },
			menu:        "取消正在进行的填报",
			contactHelp: helpLine{3, func(words) string { return "· /cancel：取消正在进行的填报\n" }},
		},
		{
			command: "search", role: roleBound, handler: (*Handlers).search,
			menu: "搜索任务，如 /search ", menuEx: func(w words) string { return w.searchEx },
			contactHelp: helpLine{2, searchHelp}, officeHelp: helpLine{8, searchHelp}, helpName: "搜索",
		},
		{
			command: "overview", label: labelOverview, words: []string{"总览"},
			role: roleOffice, handler: func(h *Handlers, r *request, _ string) error { return h.overview(r) },
			menu:       "本期总览",
			officeHelp: helpLine{1, func(words) string { return "· 本期总览（/overview）：各项目填报情况\n" }},
			officeKey:  keyPos{1, 1},
		},
		{
			command: "missing", label: labelMissing, words: []string{"未填报"},
			role: roleOffice, handler: func(h *Handlers, r *request, _ string) error { return h.missing(r) },
			menu:       "未填报单位",
			officeHelp: helpLine{2, func(words) string { return "· 未填报单位（/missing）：尚未填报的单位及任务\n" }},
			officeKey:  keyPos{1, 2},
		},
		{
			command: "unit", role: roleOffice, handler: (*Handlers).unitQuery,
			menu: "查询单位，如 /unit ", menuEx: func(w words) string { return w.unitEx },
			officeHelp: helpLine{3, func(w words) string {
				return fmt.Sprintf("· /unit 单位名称：某单位的任务和进展，如 /unit %s\n", esc(w.unitEx))
			}},
		},
		{
			command: "measure", role: roleOffice, handler: (*Handlers).measureQuery,
			menu: "查询任务，如 /measure ", menuEx: func(w words) string { return w.measureEx },
			officeHelp: helpLine{4, func(w words) string {
				return fmt.Sprintf("· /measure 编号：某项任务的详情和各单位进展，如 /measure %s\n", esc(w.measureEx))
			}},
		},
		{
			command: "notify", role: roleOffice, handler: (*Handlers).notify,
			menu: "发通知，如 /notify 请于周五前填报",
			// One line for /notify and /notices.
			officeHelp: helpLine{6, func(words) string {
				return "· /notify 内容：向各单位发通知（先写单位名称则只发给这些单位）；/notices：谁已点「收到」\n"
			}},
		},
		{
			command: "notices", role: roleOffice, handler: func(h *Handlers, r *request, _ string) error { return h.notices(r) },
			menu: "通知及收到情况", // help: in /notify's line
		},
		{
			command: "urge", role: roleOffice, handler: (*Handlers).urgeCommand,
			menu: "督办，如 /urge ", menuEx: func(w words) string { return w.measureEx + " " + w.unitEx + " 请于周五前补报" },
			officeHelp: helpLine{7, func(w words) string {
				return fmt.Sprintf("· /urge 编号 单位 内容：督办，如 /urge %s %s 请于周五前补报；任务详情中可「已阅」「退回补充」\n", esc(w.measureEx), esc(w.unitEx))
			}},
		},
		{
			command: "bulletin", role: roleOffice, handler: (*Handlers).bulletin, needsBulletins: true,
			menu: "生成本期通报（Word）",
			officeHelp: helpLine{5, func(words) string {
				return "· /bulletin：生成最近一期的通报（Word 文档），也可指定期次\n"
			}},
		},
		{
			label: labelWorkbench, role: roleOffice, webApp: true,
			handler:   func(h *Handlers, r *request, _ string) error { return h.workbench(r) },
			officeKey: keyPos{2, 1},
		},
	}
}

func searchHelp(w words) string {
	return fmt.Sprintf("· 搜索 关键词：查找任务，如 搜索 %s\n", esc(w.searchEx))
}

// Indexes of the table, built once.
var (
	routeByCommand = map[string]*route{}
	routeByText    = map[string]*route{}
)

func init() {
	routes = routeTable()
	for i := range routes {
		rt := &routes[i]
		for _, name := range append([]string{rt.command}, rt.aliases...) {
			if name == "" {
				continue
			}
			if routeByCommand[name] != nil {
				panic("bot: command /" + name + " routed twice")
			}
			routeByCommand[name] = rt
		}
		for _, text := range append([]string{rt.label}, rt.words...) {
			if text == "" {
				continue
			}
			if routeByText[text] != nil {
				panic("bot: text " + text + " routed twice")
			}
			routeByText[text] = rt
		}
	}
}

// commandRoute is the route of a command name, or nil.
func commandRoute(name string) *route { return routeByCommand[name] }

// textRoute is the route a button label or its words dispatch to, or nil
// (then the text is a report, a greeting or a search). A webApp route
// answers only the office and only when the dashboard is published.
func (h *Handlers) textRoute(r *request, text string) *route {
	rt := routeByText[text]
	if rt != nil && rt.webApp && (h.webAppURL == "" || !r.contact.IsOffice()) {
		return nil
	}
	return rt
}

// menuCommands is the command menu, in table order.
func menuCommands(w words, bulletins, office bool) []models.BotCommand {
	var cmds []models.BotCommand
	for _, rt := range routes {
		if rt.menu == "" || rt.command == "" || (rt.needsBulletins && !bulletins) {
			continue
		}
		if !office && rt.role == roleOffice {
			continue // the office's commands are in its chats' own menu
		}
		if office && rt.role == roleContact {
			continue
		}
		d := rt.menu
		if rt.menuEx != nil {
			d += rt.menuEx(w)
		}
		cmds = append(cmds, models.BotCommand{Command: rt.command, Description: d})
	}
	return cmds
}

// helpLines is one role's command lines for the help, in help order.
func helpLines(office bool, w words, bulletins bool) string {
	type line struct {
		order int
		text  string
	}
	var lines []line
	for _, rt := range routes {
		h := rt.contactHelp
		if office {
			h = rt.officeHelp
		}
		if h.text != nil && (!rt.needsBulletins || bulletins) {
			lines = append(lines, line{h.order, h.text(w)})
		}
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].order < lines[j].order })
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.text)
	}
	return b.String()
}

// replyKeyboardOf is a role's persistent reply keyboard; webApp adds the
// buttons that need the dashboard.
func replyKeyboardOf(office, webApp bool) json.RawMessage {
	var rows [][]keyboardButton
	type placed struct {
		pos   keyPos
		label string
	}
	var keys []placed
	for _, rt := range routes {
		pos := rt.contactKey
		if office {
			pos = rt.officeKey
		}
		if pos.row == 0 || rt.label == "" || (rt.webApp && !webApp) {
			continue
		}
		keys = append(keys, placed{pos, rt.label})
	}
	sort.SliceStable(keys, func(i, j int) bool {
		if keys[i].pos.row != keys[j].pos.row {
			return keys[i].pos.row < keys[j].pos.row
		}
		return keys[i].pos.col < keys[j].pos.col
	})
	for i, k := range keys {
		if i == 0 || keys[i-1].pos.row != k.pos.row {
			rows = append(rows, nil)
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], keyboardButton{Text: k.label})
	}
	return mustJSON(replyKeyboard{Keyboard: rows, IsPersistent: true, ResizeKeyboard: true})
}

// help answers /help and 帮助 with the role's help and keyboard.
func (h *Handlers) help(r *request, _ string) error {
	r.reply(helpText(r.contact, h.words(r.now()), h.bulletins != nil), keyboardFor(r.contact))
	return nil
}

// dispatch runs a route: anyone may run a roleAnyone route, the others
// need a bound contact or the office.
func (h *Handlers) dispatch(r *request, rt *route, args string) error {
	if rt.role != roleAnyone && !r.contact.CanReport() && !r.contact.IsOffice() {
		return h.unbound(r)
	}
	return rt.handler(h, r, args)
}
