package demo

import (
	"fmt"
	"sort"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// Config says which city to generate. The same Config always generates the
// same records, byte for byte.
type Config struct {
	// Seed chooses the city; a different seed gives different people,
	// journeys and listings around the same fixed organisations and logins.
	Seed int64
	// Now is the moment the city is generated for: every time in it is
	// derived from Now (referrals over the 18 months before it, listings
	// checked in the year before it, deferrals due around it). Set it to
	// the current time for a live demo.
	Now time.Time
	// People is how many people are referred; each has one to three
	// referrals over time, about 1.4 on average.
	People int
	// Assets is how many activities the directory lists.
	Assets int
	// Password is every generated user's password; it must pass
	// linkwork.ValidatePassword.
	Password string
	// National spreads the extra organisations, the directory and the
	// people over every Great Britain postcode district instead of
	// Millbrook's, and scales the staff with the number of people. The
	// core organisations and the demo logins stay in Millbrook.
	National bool
}

// MetaKey is the key under which a demo database records the city it
// holds (see Config.Mark), so that commands can tell a demo from other data
// and find a city they built before.
const MetaKey = "demo"

// Mark is what a database built from c records under MetaKey: the seed
// and the sizes, which decide the records (Now and Password change the
// dates and the accounts' password only).
func (c Config) Mark() string {
	return fmt.Sprintf("seed=%d people=%d assets=%d", c.Seed, c.People, c.Assets)
}

// DefaultPassword is the password the presets give every demo user.
const DefaultPassword = "millbrook-demo-2026"

// DefaultNow is the fixed moment the presets generate for, so that a
// preset on its own is reproducible. Commands that serve a live demo
// replace it with the current time.
var DefaultNow = time.Date(2026, time.November, 2, 9, 30, 0, 0, time.UTC)

// DefaultSeed is the seed the presets use.
const DefaultSeed = 20260601

// presets are the named configurations.
var presets = map[string]Config{
	// The default city: about 400 people (some 570 referrals) and 320
	// activities.
	"demo": {People: 400, Assets: 320},
	// A quick city for tests.
	"small": {People: 50, Assets: 60},
	// A national-scale dataset for benchmarks: 700,000 people with about a
	// million referrals, and 100,000 activities over every GB district.
	"national": {People: 700_000, Assets: 100_000, National: true},
}

// PresetNames lists the names Preset accepts, sorted.
func PresetNames() []string {
	names := make([]string, 0, len(presets))
	for n := range presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Preset returns the named configuration ("demo", "small" or "national")
// with DefaultSeed, DefaultNow and DefaultPassword. An unknown name is an
// EINVALID error naming the valid ones.
func Preset(name string) (Config, error) {
	c, ok := presets[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return Config{}, linkwork.Errorf(linkwork.EINVALID, "Unknown demo preset %q: choose one of %s", name, strings.Join(PresetNames(), ", "))
	}
	c.Seed = DefaultSeed
	c.Now = DefaultNow
	c.Password = DefaultPassword
	return c, nil
}

// minAssets is the fewest activities a city can have: the listings every
// city holds (see fixedAssets).
var minAssets = len(fixedAssets)

// validate reports what is wrong with c.
func (c Config) validate() error {
	var p linkwork.Problems
	if c.Now.IsZero() {
		p.Add("now", "Set the moment to generate the city for")
	}
	if c.People < 0 {
		p.Add("people", "The number of people cannot be negative")
	}
	if c.Assets < minAssets {
		p.Addf("assets", "A city needs at least %d activities", minAssets)
	}
	if err := linkwork.ValidatePassword(c.Password); err != nil {
		p.Add("password", linkwork.ErrorMessage(err))
	}
	return p.Err()
}
