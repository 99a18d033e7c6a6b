package fakeapi

import (
	"context"
	"net/url"
)

// webhookState is the bot's webhook setting. The fake only records it:
// updates are never posted to the URL, and getUpdates is refused while it
// is set, as on Telegram.
type webhookState struct {
	url     string
	history []string // every URL set, "" for a deletion
}

func (s *Server) setWebhook(_ context.Context, p *params) (any, *apiError) {
	raw := p.str("url")
	if raw != "" {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.bool("drop_pending_updates") {
		s.updates.pending = nil
	}
	if raw == s.webhook.url {
		if raw == "" {
			return described{true, "Webhook is already deleted"}, nil
		}
		return described{true, "Webhook is already set"}, nil
	}
	s.webhook.url = raw
	s.webhook.history = append(s.webhook.history, raw)
	s.notifyLocked() // ends a pending long poll with a conflict
	if raw == "" {
		return described{true, "Webhook was deleted"}, nil
	}
	return described{true, "Webhook was set"}, nil
}

func (s *Server) deleteWebhook(_ context.Context, p *params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.bool("drop_pending_updates") {
		s.updates.pending = nil
	}
	if s.webhook.url == "" {
		return described{true, "Webhook is already deleted"}, nil
	}
	s.webhook.url = ""
	s.webhook.history = append(s.webhook.history, "")
	s.notifyLocked()
	return described{true, "Webhook was deleted"}, nil
}

func (s *Server) getWebhookInfo(_ context.Context, _ *params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := map[string]any{
		"url":                    s.webhook.url,
		"has_custom_certificate": false,
		"pending_update_count":   len(s.updates.pending),
	}
	if s.updates.allowed != nil {
		kinds := make([]string, 0, len(s.updates.allowed))
		for k := range s.updates.allowed {
			kinds = append(kinds, k)
		}
		info["allowed_updates"] = kinds
	}
	return info, nil
}

// Webhook returns the webhook URL the bot has set, "" when none.
func (s *Server) Webhook() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook.url
}

// WebhookHistory returns every webhook URL the bot set, in order, with ""
// for each deletion.
func (s *Server) WebhookHistory() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.webhook.history...)
}
