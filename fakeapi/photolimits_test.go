package fakeapi

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Telegram refuses a photo whose sides add up to more than 10000 px or
// whose aspect ratio is above 20; the fake does too, so a sender that
// would post a long chart as a photo fails in tests as it would live.
func TestSendPhotoDimensions(t *testing.T) {
	s := NewServer(t)
	b := newClient(t, s)
	tests := []struct {
		name string
		w, h int
		ok   bool
	}{
		{"a tall chart that fits", 800, 9200, true},
		{"sides over 10000", 800, 9239, false},
		{"ratio 20", 100, 2000, true},
		{"ratio over 20", 100, 2001, false},
		{"wide ratio over 20", 2001, 100, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var img bytes.Buffer
			if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, tt.w, tt.h))); err != nil {
				t.Fatal(err)
			}
			_, err := b.SendPhoto(context.Background(), &bot.SendPhotoParams{
				ChatID: alice.ID,
				Photo:  &models.InputFileUpload{Filename: "chart.png", Data: bytes.NewReader(img.Bytes())},
			})
			refused := errors.Is(err, bot.ErrorBadRequest) && strings.Contains(err.Error(), "PHOTO_INVALID_DIMENSIONS")
			if tt.ok && err != nil || !tt.ok && !refused {
				t.Errorf("%d×%d: err = %v", tt.w, tt.h, err)
			}
		})
	}
}
