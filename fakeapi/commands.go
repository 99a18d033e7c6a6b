package fakeapi

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Command is one entry of the bot's command menu.
type Command struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// commandKey names a command list: a scope and a language.
type commandKey struct {
	scope    string // "default", "all_private_chats", "chat:<id>", "chat_member:<chat>:<user>", ...
	language string
}

// commandsParam reads and checks setMyCommands' commands as the Bot API
// server, TDLib and Telegram do in turn.
func commandsParam(raw string) ([]Command, *apiError) {
	if raw == "" {
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal([]byte(raw), &items); err != nil {
		var v any
		if json.Unmarshal([]byte(raw), &v) == nil {
			return nil, badRequest("expected an Array of BotCommand")
		}
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(items) > 100 {
		return nil, badRequest("BOT_COMMANDS_TOO_MUCH")
	}
	var out []Command
	for _, item := range items {
		var obj map[string]json.RawMessage
		if json.Unmarshal(item, &obj) != nil || obj == nil {
			return nil, badRequest("can't parse BotCommand: expected an Object")
		}
		command, err := stringField(obj, "command", true)
		if err == nil {
			var description string
			if description, err = stringField(obj, "description", true); err == nil {
				out = append(out, Command{Command: command, Description: description})
				continue
			}
		}
		return nil, badRequest("can't parse BotCommand: " + err.Error())
	}
	for i, c := range out {
		c.Command = strings.TrimPrefix(strings.TrimSpace(c.Command), "/")
		c.Description = strings.TrimSpace(c.Description)
		switch {
		case c.Command == "":
			return nil, badRequest("command must be non-empty")
		case utf8.RuneCountInString(c.Command) > 32:
			return nil, badRequest("command length must not exceed 32")
		case c.Description == "":
			return nil, badRequest("command description must be non-empty")
		case utf8.RuneCountInString(c.Description) > 256:
			return nil, badRequest("command description length must not exceed 256")
		case strings.Trim(c.Command, "abcdefghijklmnopqrstuvwxyz0123456789_") != "":
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		out[i] = c
	}
	return out, nil
}

// commandKeyParam reads scope and language_code.
func commandKeyParam(p *params) (commandKey, *apiError) {
	key := commandKey{scope: "default", language: p.str("language_code")}
	raw := p.str("scope")
	if raw == "" {
		return key, nil
	}
	var scope struct {
		Type   string          `json:"type"`
		ChatID json.RawMessage `json:"chat_id"`
		UserID int64           `json:"user_id"`
	}
	if err := json.Unmarshal([]byte(raw), &scope); err != nil {
		return key, badRequest("can't parse BotCommandScope JSON object")
	}
	chatID := strings.Trim(string(scope.ChatID), `"`)
	switch scope.Type {
	case "default", "all_private_chats", "all_group_chats", "all_chat_administrators":
		key.scope = scope.Type
	case "chat", "chat_administrators":
		key.scope = scope.Type + ":" + chatID
	case "chat_member":
		key.scope = fmt.Sprintf("chat_member:%s:%d", chatID, scope.UserID)
	default:
		return key, badRequest("unsupported scope type specified")
	}
	return key, nil
}

func (s *Server) setMyCommands(_ context.Context, p *params) (any, *apiError) {
	commands, aerr := commandsParam(p.str("commands"))
	if aerr != nil {
		return nil, aerr
	}
	key, aerr := commandKeyParam(p)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(commands) == 0 {
		delete(s.commands, key)
	} else {
		s.commands[key] = commands
	}
	s.notifyLocked()
	return true, nil
}

func (s *Server) getMyCommands(_ context.Context, p *params) (any, *apiError) {
	key, aerr := commandKeyParam(p)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Command{}, s.commands[key]...), nil
}

func (s *Server) deleteMyCommands(_ context.Context, p *params) (any, *apiError) {
	key, aerr := commandKeyParam(p)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.commands, key)
	s.notifyLocked()
	return true, nil
}

// Commands returns the command menu the bot set for the default scope and
// no particular language.
func (s *Server) Commands() []Command {
	return s.CommandsFor("default", "")
}

// CommandsFor returns the command menu the bot set for a scope and
// language. scope is the scope's type, followed for chat scopes by
// ":<chat_id>" (and ":<user_id>" for chat_member), e.g. "all_private_chats"
// or "chat:-100123".
func (s *Server) CommandsFor(scope, languageCode string) []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Command(nil), s.commands[commandKey{scope: scope, language: languageCode}]...)
}
