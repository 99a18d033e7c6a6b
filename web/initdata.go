package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// initDataMaxAge is how old a Mini App's initData may be.
const initDataMaxAge = 24 * time.Hour

// miniAppUser is the part of initData's user field we use.
type miniAppUser struct {
	ID        int64  `json:"id"`
	FirstName string `json:"first_name"`
}

// checkInitData validates a Mini App's initData as Telegram specifies
// (core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app):
// the data-check string is every field but hash, sorted, as key=value
// joined by newlines; the secret key is HMAC-SHA256 of the bot token keyed
// with "WebAppData"; hash must be the hex HMAC-SHA256 of the data-check
// string with that key. auth_date must be no older than a day.
func checkInitData(raw, botToken string, now time.Time) (miniAppUser, error) {
	if botToken == "" || raw == "" {
		return miniAppUser{}, errors.New("web: no initData")
	}
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return miniAppUser{}, errors.New("web: initData is not a query string")
	}
	hash := vals.Get("hash")
	lines := make([]string, 0, len(vals))
	for k, vs := range vals {
		if k == "hash" || len(vs) != 1 {
			if k != "hash" {
				return miniAppUser{}, errors.New("web: initData repeats a field")
			}
			continue
		}
		lines = append(lines, k+"="+vs[0])
	}
	sort.Strings(lines)
	secret := hmacSHA256([]byte("WebAppData"), []byte(botToken))
	want := hmacSHA256(secret, []byte(strings.Join(lines, "\n")))
	got, err := hex.DecodeString(hash)
	if err != nil || !hmac.Equal(got, want) {
		return miniAppUser{}, errors.New("web: initData hash does not match")
	}
	sec, err := strconv.ParseInt(vals.Get("auth_date"), 10, 64)
	if err != nil {
		return miniAppUser{}, errors.New("web: initData has no auth_date")
	}
	if age := now.Sub(time.Unix(sec, 0)); age > initDataMaxAge || age < -5*time.Minute {
		return miniAppUser{}, errors.New("web: initData is stale")
	}
	var u miniAppUser
	if err := json.Unmarshal([]byte(vals.Get("user")), &u); err != nil || u.ID == 0 {
		return miniAppUser{}, errors.New("web: initData has no user")
	}
	return u, nil
}

func hmacSHA256(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

// SignInitData makes initData for user as Telegram would, signed with
// botToken: for the demo's "open in Telegram" and for tests.
func SignInitData(botToken string, userID int64, firstName string, authDate time.Time) string {
	user, _ := json.Marshal(miniAppUser{ID: userID, FirstName: firstName})
	vals := url.Values{}
	vals.Set("auth_date", strconv.FormatInt(authDate.Unix(), 10))
	vals.Set("query_id", "AAH"+strconv.FormatInt(userID, 36))
	vals.Set("user", string(user))
	keys := []string{"auth_date", "query_id", "user"}
	lines := make([]string, len(keys))
	for i, k := range keys {
		lines[i] = k + "=" + vals.Get(k)
	}
	secret := hmacSHA256([]byte("WebAppData"), []byte(botToken))
	vals.Set("hash", hex.EncodeToString(hmacSHA256(secret, []byte(strings.Join(lines, "\n")))))
	return vals.Encode()
}
