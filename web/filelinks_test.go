package web

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

var fileHref = regexp.MustCompile(`href="(/file/[^"]+)"`)

// TestSignedFileLinks: inside Telegram's web clients no cookie reaches the
// dashboard and an <img> cannot send the Mini App's header, so a page
// fetched with the header links its attachments with signed URLs that work
// alone, for a limited time, for that contact only, and for nothing else.
func TestSignedFileLinks(t *testing.T) {
	f := newFixture(t)
	bare := f.client() // no cookie, no header: an <img> in a framed Mini App
	tma := "tma " + SignInitData(f.api.Token(), unitUser, "张三", f.clock())

	status, page := f.get(bare, "/measure/2.1.1", "Authorization", tma)
	m := fileHref.FindStringSubmatch(page)
	if status != http.StatusOK || m == nil {
		t.Fatalf("measure page by header: %d, file link %v", status, m)
	}
	link := html.UnescapeString(m[1])
	if !strings.Contains(link, "&s=") || strings.Contains(link, f.api.Token()) || strings.Contains(link, f.fileID) {
		t.Fatalf("file link for a header viewer: %s", link)
	}
	if status, body := f.get(bare, link); status != http.StatusOK || body != "%PDF-1.4 会议纪要" {
		t.Fatalf("signed link alone: %d %q", status, body)
	}
	// Without the signature the same URL is refused.
	if status, _ := f.get(bare, link[:strings.Index(link, "&s=")]); status != http.StatusUnauthorized {
		t.Errorf("unsigned link without a session: %d, want 401", status)
	}

	// Any change to what was signed breaks it.
	for name, forged := range map[string]string{
		"another file":    strings.Replace(link, "/file/"+itoa(int(f.attID)), "/file/"+itoa(int(f.attID)+1), 1),
		"another contact": strings.Replace(link, "v="+itoa(unitUser), "v="+itoa(officeUser), 1),
		"later expiry":    regexp.MustCompile(`x=\d+`).ReplaceAllString(link, "x=4102444800"),
		"bad signature":   link[:len(link)-3] + "AAA",
	} {
		if forged == link {
			t.Fatalf("%s: the forgery changed nothing", name)
		}
		if status, _ := f.get(bare, forged); status != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", name, status)
		}
	}

	// Signed for a contact of another unit, it gives nothing away.
	other := f.srv.fileURL(&viewer{UserID: otherUser, Unit: otherUnit, Header: true}, f.attID, "2.1.1", unitName, "2017-04")
	if status, _ := f.get(bare, other); status != http.StatusForbidden {
		t.Errorf("another unit's contact with a signed link: %d, want 403", status)
	}

	// A browser session's pages link files plainly (the cookie goes along).
	c := f.client()
	f.signIn(c, unitUser)
	if _, page := f.get(c, "/measure/2.1.1"); strings.Contains(page, "&amp;s=") || !fileHref.MatchString(page) {
		t.Error("a cookie session's page has signed file links, or none")
	}

	// It ends: after its time, or at once when the contact is revoked.
	f.advance(fileLinkTTL + fileLinkStep)
	if status, body := f.get(bare, link); status != http.StatusUnauthorized || !strings.Contains(body, "过期") {
		t.Errorf("expired link: %d %q", status, body)
	}
	tma = "tma " + SignInitData(f.api.Token(), unitUser, "张三", f.clock())
	_, page = f.get(bare, "/measure/2.1.1", "Authorization", tma)
	link = html.UnescapeString(fileHref.FindStringSubmatch(page)[1])
	if status, _ := f.get(bare, link); status != http.StatusOK {
		t.Fatalf("fresh link: %d", status)
	}
	if _, err := f.db.Revoke(context.Background(), unitUser); err != nil {
		t.Fatal(err)
	}
	if status, _ := f.get(bare, link); status != http.StatusUnauthorized {
		t.Errorf("link of a revoked contact: %d, want 401", status)
	}
}

// A page rendered again soon links the same URL, so the browser's cache
// serves a photo once, not on every page.
func TestSignedFileLinksAreStable(t *testing.T) {
	f := newFixture(t)
	v := &viewer{UserID: unitUser, Unit: unitName, Header: true}
	first := f.srv.fileURL(v, f.attID, "2.1.1", unitName, "2017-04")
	f.advance(time.Minute)
	// The fixture's clock is at 10:06, so 10:07 is within the same step.
	if again := f.srv.fileURL(v, f.attID, "2.1.1", unitName, "2017-04"); again != first {
		t.Errorf("a minute later the link changed:\n%s\n%s", first, again)
	}
}
