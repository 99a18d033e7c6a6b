package fakeapi

import "image"

// Telegram refuses a photo whose width and height add up to more than
// photoMaxSides, or whose long side is more than photoMaxRatio times its
// short side ("PHOTO_INVALID_DIMENSIONS"); such an image goes as a
// document.
const (
	photoMaxSides = 10000
	photoMaxRatio = 20
)

// photoDimensions refuses a photo Telegram would refuse for its size.
func photoDimensions(cfg image.Config) *apiError {
	w, h := cfg.Width, cfg.Height
	if w+h > photoMaxSides || max(w, h) > photoMaxRatio*max(min(w, h), 1) {
		return badRequest("PHOTO_INVALID_DIMENSIONS")
	}
	return nil
}
