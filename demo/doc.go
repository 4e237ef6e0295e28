// Package demo generates a synthetic social prescribing service: a
// fictional city's organisations, staff, community directory, and the people
// referred to it with their whole journeys (referrals through triage, cases,
// sessions, goals, connections to activities and outcome measures), so that
// a newcomer sees a working service in one command and benchmarks have data
// at national scale.
//
// # The city
//
// Millbrook is fictional, but it sits on 22 real postcode districts of the
// Leeds (LS) area, every one within 12 km of its centre, LS1 (see
// CityCentre): people's postcodes are a real district with an invented
// inward code, and activities are placed within about a kilometre of their
// district's centroid (package ukpostcode), so distance search works. Its
// neighbourhood names, organisations, people and activities are invented.
// Telephone numbers come from Ofcom's drama ranges (0113 496 0xxx,
// 01632 960xxx, 07700 900xxx), email addresses from reserved example
// domains, and staff sign in at demo.linkwork.test.
//
// The city has a primary care network of six GP practices, five secondary
// schools, a CAMHS team, children's and adult social care, a community
// health team, a youth hub, the Millbrook Social Prescribing Service, the
// Millbrook Integrated Care Board and forty community organisations. Logins
// lists one demo account for each role.
//
// # Presets
//
// Preset returns a named Config: "demo" (the default city: 400 people with
// about 570 referrals, 320 listings), "small" (50 people, 60 listings, for
// fast tests) and "national" (700,000 people with about a million
// referrals and 100,000 listings spread over every district in Great
// Britain, for benchmarks).
//
// # Determinism and streaming
//
// Generate draws everything from PCG streams seeded from Config.Seed and
// derives every time from Config.Now, so the same Config gives
// byte-identical records. It sends records to a Sink as it makes them and
// keeps only what later records refer to (organisations, staff and a small
// index of the directory), so memory stays flat however many people there
// are.
package demo
