package main

import (
	"flag"
	"net/url"
	"time"
)

// capChatRate lowers the default per-chat rate to an overall --rate below
// it; a per-chat rate the operator set is left for checkServeFlags.
func capChatRate(fs *flag.FlagSet, env *Env, rate float64, chatRate *float64) {
	set := env.Getenv("REFORMBOT_CHAT_RATE") != ""
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "chat-rate" })
	if !set && rate > 0 && *chatRate > rate {
		*chatRate = rate
	}
}

// checkServeFlags refuses serve's flags that would start a bot doing
// something else than asked (a negative catch-up taken as the default, a
// webhook Telegram cannot post to, a per-chat rate the overall rate
// cannot give): one usage error naming the flag.
func checkServeFlags(sf *scheduleFlags, webhook, publicURL string, rate, chatRate float64) error {
	switch {
	case sf.catchUp <= 0:
		return usagef("bad --catch-up %s: want a positive duration, e.g. 168h", sf.catchUp)
	case sf.catchUp > 366*24*time.Hour:
		return usagef("bad --catch-up %s: at most a year (8784h)", sf.catchUp)
	case rate <= 0 || chatRate <= 0:
		return usagef("--rate and --chat-rate must be positive")
	case chatRate > rate:
		return usagef("--chat-rate %g is above --rate %g: one chat cannot get more than the whole bot", chatRate, rate)
	}
	if webhook != "" && !webURL(webhook) {
		return usagef("bad --webhook %q: want the public https:// URL Telegram posts updates to", webhook)
	}
	if publicURL != "" && !webURL(publicURL) {
		return usagef("bad --public-url %q: want the dashboard's public URL, e.g. https://bot.example.org", publicURL)
	}
	return nil
}

// webURL reports whether s is an absolute http(s) URL with a host. (A
// self-hosted Bot API server may post to http://.)
func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
