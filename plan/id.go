package plan

import (
	"errors"
	"fmt"
	"strings"
)

// A measure id is the measure's place in the plan: positive numbers joined
// by dots, from the category down, e.g. 2.1.3 (category 2, project 1,
// measure 3), or 2.1.2.1 for a sub-measure. It is the one grammar the plan
// validator, the importer and the bot's buttons share: CheckMeasureID.

// MaxMeasureLevels is how many numbers a measure id may have.
const MaxMeasureLevels = 4

// MaxMeasureIDLen is the longest measure id, in bytes, that the bot's
// buttons can carry: Telegram allows 64 bytes of callback_data, and the
// bot's longest form, "s:<id>:<period>:<n>" with a 7-byte period such as
// 2017-Q4, takes 12 of them besides the id (bot/callback.go tests it).
// 40 leaves room for one more field.
const MaxMeasureIDLen = 40

// CheckMeasureID says what is wrong with id as a measure id, or nil.
func CheckMeasureID(id string) error {
	if id == "" {
		return errors.New("is empty")
	}
	if len(id) > MaxMeasureIDLen {
		return fmt.Errorf("is %d bytes long; a Telegram button carries at most %d", len(id), MaxMeasureIDLen)
	}
	levels := strings.Split(id, ".")
	for _, l := range levels {
		if l == "" || l[0] == '0' || strings.Trim(l, "0123456789") != "" {
			return errors.New("must be numbers joined by dots, such as 2.1.1, none of them 0 or starting with 0")
		}
	}
	if len(levels) > MaxMeasureLevels {
		return fmt.Errorf("has %d levels; at most %d (category.project.measure.sub-measure)", len(levels), MaxMeasureLevels)
	}
	return nil
}

// IsMeasureID reports whether id follows the measure-id grammar.
func IsMeasureID(id string) bool { return CheckMeasureID(id) == nil }
