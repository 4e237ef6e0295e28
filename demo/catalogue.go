package demo

import linkwork "github.com/linkwork/linkwork"

// venue is the kind of place an activity happens in.
type venue uint8

const (
	vCommunityCentre venue = iota
	vLeisureCentre
	vLibrary
	vChurchHall
	vPark
	vYouthClub
	vSportsHall
	vAllotment
	vCafe
	vArtsCentre
	vOnline
)

// activity is a kind of listing the directory holds. Names may hold
// {area} (the neighbourhood), {park}, {venue} and {day} ("Tuesdays").
type activity struct {
	name, desc     string
	cats           []linkwork.Category // the first is the main one
	minAge, maxAge int
	join           linkwork.HowToJoin
	cost           string // empty when free
	venues         []venue
	days           []string // the days it may run, "MO" to "SU"
	opens, closes  string
	youth, buddy   bool
	themes         themes // the organisations that run it
}

const (
	cCreative   = linkwork.CategoryCreative
	cSocial     = linkwork.CategorySocial
	cIndoor     = linkwork.CategoryIndoor
	cSelfCare   = linkwork.CategorySelfCare
	cSports     = linkwork.CategorySports
	cVocational = linkwork.CategoryVocational
	cWellbeing  = linkwork.CategoryWellbeing

	dropIn   = linkwork.JoinDropIn
	selfRef  = linkwork.JoinSelfRefer
	referral = linkwork.JoinReferral
	viaLW    = linkwork.JoinViaLinkWorker
)

var (
	weekdays   = []string{"MO", "TU", "WE", "TH", "FR"}
	evenings   = []string{"MO", "TU", "WE", "TH"}
	weekend    = []string{"SA", "SU"}
	anyDay     = []string{"MO", "TU", "WE", "TH", "FR", "SA"}
	sportVenue = []venue{vLeisureCentre, vSportsHall, vCommunityCentre}
	hallVenue  = []venue{vCommunityCentre, vChurchHall, vLibrary}
	youthVenue = []venue{vYouthClub, vCommunityCentre}
	online     = []venue{vOnline}
)

// catalogue is every kind of activity, grouped by main category.
var catalogue = []activity{
	// Sports.
	{name: "Saturday Parkrun at {park}", desc: "A free, timed 5k run, jog or walk every Saturday morning, organised by volunteers. Walkers are as welcome as runners, and you can volunteer instead of running. Register once online and bring your barcode.",
		cats: []linkwork.Category{cSports, cSocial}, join: dropIn, venues: []venue{vPark}, days: []string{"SA"}, opens: "09:00", closes: "10:00", youth: true, buddy: true, themes: thSport | thGreen},
	{name: "Youth Boxing — {day}", desc: "Non-contact boxing fitness for young people: pads, skipping and circuits with qualified coaches. Gloves provided. A good way to let off steam and build confidence.",
		cats: []linkwork.Category{cSports}, minAge: 11, maxAge: 18, join: dropIn, cost: "£2 a session; free for anyone on free school meals", venues: sportVenue, days: evenings, opens: "17:30", closes: "18:30", youth: true, buddy: true, themes: thSport | thYouth},
	{name: "Football for all — 16-25 drop-in", desc: "Friendly, mixed-ability five-a-side on the 3G pitch. No team, no kit, no problem: just turn up in trainers. Coaches keep it welcoming for beginners.",
		cats: []linkwork.Category{cSports, cSocial}, minAge: 16, maxAge: 25, join: dropIn, venues: []venue{vSportsHall, vPark}, days: evenings, opens: "18:00", closes: "19:30", youth: true, buddy: true, themes: thSport | thYouth},
	{name: "{area} Juniors Football Training (Under 12s to Under 16s)", desc: "Weekly football training for boys and girls aged 8 to 16, all abilities, with FA-qualified volunteer coaches. Boots or trainers and a water bottle; shin pads can be borrowed.",
		cats: []linkwork.Category{cSports}, minAge: 8, maxAge: 16, join: selfRef, venues: []venue{vPark, vSportsHall}, days: []string{"TU", "WE", "SA"}, opens: "17:00", closes: "18:15", youth: true, buddy: true, themes: thSport | thYouth},
	{name: "Girls' Football (11-18)", desc: "Football just for girls and young women, from first-timers to those who play for their school. Relaxed, fun and no pressure to join a league team.",
		cats: []linkwork.Category{cSports, cSocial}, minAge: 11, maxAge: 18, join: dropIn, venues: []venue{vSportsHall, vPark}, days: evenings, opens: "17:30", closes: "18:45", youth: true, buddy: true, themes: thSport | thYouth | thCommunity},
	{name: "Walking Football for Over-50s", desc: "Football at walking pace: no running, no tackling from behind, lots of laughs. Good for fitness and for meeting people; tea afterwards.",
		cats: []linkwork.Category{cSports, cSocial}, minAge: 50, join: dropIn, cost: "£2 a session", venues: sportVenue, days: weekdays, opens: "10:00", closes: "11:30", buddy: true, themes: thSport},
	{name: "Couch to 5k — {area}", desc: "A nine-week beginners' running group that takes you from walking to running 5k, three times a week with a friendly run leader. Nobody is left behind.",
		cats: []linkwork.Category{cSports, cSelfCare}, minAge: 16, join: selfRef, venues: []venue{vPark}, days: []string{"MO", "WE", "SA"}, opens: "18:30", closes: "19:30", buddy: true, themes: thSport | thGreen | thCommunity},
	{name: "Basketball Drop-in at {venue}", desc: "Open basketball for young people: warm-up drills, then games. Coaches on hand; balls provided.",
		cats: []linkwork.Category{cSports}, minAge: 13, maxAge: 25, join: dropIn, venues: []venue{vSportsHall, vLeisureCentre}, days: evenings, opens: "18:00", closes: "20:00", youth: true, buddy: true, themes: thSport | thYouth},
	{name: "Back to Netball", desc: "Netball for women who have not played since school, or never have. Gentle skills sessions building up to friendly games.",
		cats: []linkwork.Category{cSports, cSocial}, minAge: 16, join: selfRef, cost: "£3 a session", venues: sportVenue, days: evenings, opens: "19:00", closes: "20:00", buddy: true, themes: thSport},
	{name: "Quiet Swim at {area} Leisure Centre", desc: "A calmer public swim with lower music, fewer people and lane ropes out, for people who find busy pools overwhelming. Changing village with private cubicles.",
		cats: []linkwork.Category{cSports, cSelfCare}, join: dropIn, cost: "£3.50 a swim; £2 concessions; under-16s free", venues: []venue{vLeisureCentre}, days: weekend, opens: "08:00", closes: "09:30", youth: true, buddy: true, themes: thSport},
	{name: "Climbing Taster for Young People", desc: "Bouldering and roped climbing with instructors, for complete beginners. Shoes and harnesses provided. Builds trust, focus and confidence.",
		cats: []linkwork.Category{cSports, cIndoor}, minAge: 11, maxAge: 18, join: selfRef, cost: "£5 a session; free places through a link worker", venues: []venue{vSportsHall}, days: []string{"WE", "SA"}, opens: "16:30", closes: "18:00", youth: true, buddy: true, themes: thSport | thIndoor},
	{name: "Cycle Confidence Rides", desc: "Short, slow group rides on quiet roads and cycle paths with trained ride leaders. Bikes and helmets can be borrowed.",
		cats: []linkwork.Category{cSports, cSelfCare}, minAge: 16, join: selfRef, venues: []venue{vPark, vCommunityCentre}, days: weekend, opens: "10:00", closes: "11:30", buddy: true, themes: thSport | thGreen},
	{name: "Judo for Beginners (11-17)", desc: "Judo teaches balance, respect and self-control. Beginners start in a separate group; a kit can be borrowed for the first month.",
		cats: []linkwork.Category{cSports}, minAge: 11, maxAge: 17, join: selfRef, cost: "£3 a session", venues: sportVenue, days: evenings, opens: "18:00", closes: "19:00", youth: true, themes: thSport | thYouth},
	{name: "Skateboarding Sessions at {park} Skatepark", desc: "Youth workers and coaches run free sessions at the skatepark: borrow a board and pads, learn the basics, meet other skaters.",
		cats: []linkwork.Category{cSports, cSocial}, minAge: 11, maxAge: 25, join: dropIn, venues: []venue{vPark}, days: []string{"FR", "SA"}, opens: "16:00", closes: "18:00", youth: true, buddy: true, themes: thSport | thYouth},
	{name: "Table Tennis Club", desc: "Friendly table tennis for all ages and abilities. Bats and balls provided; coaching for beginners in the first half hour.",
		cats: []linkwork.Category{cSports, cIndoor}, join: dropIn, cost: "£1 a session", venues: hallVenue, days: evenings, opens: "18:30", closes: "20:30", youth: true, buddy: true, themes: thSport | thIndoor | thCommunity},
	{name: "Badminton Social", desc: "Relaxed doubles badminton, rotating partners so everyone plays. Rackets to borrow.",
		cats: []linkwork.Category{cSports, cSocial}, minAge: 16, join: dropIn, cost: "£3 a session", venues: sportVenue, days: evenings, opens: "19:30", closes: "21:00", buddy: true, themes: thSport | thIndoor},
	{name: "Gym Induction for Young People (14-17)", desc: "A supervised introduction to the gym for 14 to 17-year-olds: how to use the equipment safely and build a routine. Free with a referral.",
		cats: []linkwork.Category{cSports, cSelfCare}, minAge: 14, maxAge: 17, join: referral, venues: []venue{vLeisureCentre}, days: weekdays, opens: "16:00", closes: "17:00", youth: true, buddy: true, themes: thSport},
	{name: "Dance Fitness — {day}", desc: "An upbeat hour of easy-to-follow dance routines to chart music. No experience needed; go at your own pace.",
		cats: []linkwork.Category{cSports, cCreative}, minAge: 16, join: dropIn, cost: "£3 a class", venues: hallVenue, days: anyDay, opens: "18:00", closes: "19:00", buddy: true, themes: thSport | thCommunity},
	{name: "Touch Rugby Sessions", desc: "Non-contact rugby for beginners and returners, mixed teams, all fitness levels.",
		cats: []linkwork.Category{cSports, cSocial}, minAge: 16, join: dropIn, venues: []venue{vPark}, days: []string{"TU", "TH"}, opens: "18:30", closes: "19:30", buddy: true, themes: thSport},
	{name: "Tai Chi for Health", desc: "Slow, flowing movements to improve balance, breathing and calm. Chairs available for anyone who needs to sit.",
		cats: []linkwork.Category{cSports, cSelfCare}, minAge: 18, join: dropIn, cost: "£2 a session", venues: hallVenue, days: weekdays, opens: "10:30", closes: "11:30", buddy: true, themes: thSport | thSelfCare},

	// Creative.
	{name: "Knit and Natter at {venue}", desc: "Bring your knitting, crochet or sewing, or learn from scratch with needles and wool provided. Tea, biscuits and good company.",
		cats: []linkwork.Category{cCreative, cSocial}, join: dropIn, venues: []venue{vLibrary, vCafe, vCommunityCentre}, days: weekdays, opens: "13:30", closes: "15:30", buddy: true, themes: thArts | thSocial | thCommunity},
	{name: "Community Choir — No Auditions", desc: "A friendly choir singing pop, folk and gospel. You do not need to read music or have sung before. Singing together is good for the soul.",
		cats: []linkwork.Category{cCreative, cSocial}, minAge: 16, join: dropIn, cost: "£3 a session; free for students and anyone on benefits", venues: []venue{vChurchHall, vArtsCentre}, days: evenings, opens: "19:00", closes: "20:30", buddy: true, themes: thArts},
	{name: "Young People's Theatre Group (13-19)", desc: "Drama games, improvisation and devising your own show. Backstage, lighting and sound roles too for anyone who'd rather not perform.",
		cats: []linkwork.Category{cCreative, cSocial}, minAge: 13, maxAge: 19, join: selfRef, venues: []venue{vArtsCentre, vCommunityCentre}, days: evenings, opens: "17:00", closes: "19:00", youth: true, buddy: true, themes: thArts | thYouth},
	{name: "Music Production for 13-19s", desc: "Learn to make beats, record vocals and produce your own tracks in a real studio with professional producers. Free, with laptops provided.",
		cats: []linkwork.Category{cCreative, cVocational}, minAge: 13, maxAge: 19, join: selfRef, venues: []venue{vYouthClub, vArtsCentre}, days: evenings, opens: "17:00", closes: "19:00", youth: true, buddy: true, themes: thArts | thYouth},
	{name: "Open Art Studio", desc: "Drop into a relaxed studio session: painting, drawing and printmaking with materials provided and an artist on hand to help.",
		cats: []linkwork.Category{cCreative, cSelfCare}, minAge: 18, join: dropIn, cost: "£2 towards materials", venues: []venue{vArtsCentre, vCommunityCentre}, days: weekdays, opens: "10:00", closes: "12:30", buddy: true, themes: thArts},
	{name: "Photography Walks", desc: "Monthly walks around the city with a camera or phone, with tips on composition and a chance to share photos afterwards over a drink.",
		cats: []linkwork.Category{cCreative, cSocial}, minAge: 16, join: selfRef, venues: []venue{vPark, vLibrary}, days: weekend, opens: "10:30", closes: "12:30", buddy: true, themes: thArts | thGreen},
	{name: "Creative Writing Group", desc: "Short prompts, time to write and gentle, supportive sharing. Poetry, stories, memoir: whatever you like.",
		cats: []linkwork.Category{cCreative}, minAge: 16, join: dropIn, venues: []venue{vLibrary, vCafe}, days: weekdays, opens: "18:00", closes: "19:30", themes: thArts | thLearning},
	{name: "Pottery for Beginners", desc: "A six-week course on the wheel and hand-building. All clay, glazes and firing included.",
		cats: []linkwork.Category{cCreative, cSelfCare}, minAge: 18, join: selfRef, cost: "£6 a session (the service fund can help)", venues: []venue{vArtsCentre}, days: evenings, opens: "18:30", closes: "20:30", themes: thArts},
	{name: "Comic and Manga Drawing Club (11-18)", desc: "Learn to draw characters and tell stories in panels, with a local illustrator. Paper and pens provided.",
		cats: []linkwork.Category{cCreative, cIndoor}, minAge: 11, maxAge: 18, join: dropIn, venues: []venue{vLibrary, vYouthClub}, days: []string{"WE", "SA"}, opens: "14:00", closes: "15:30", youth: true, buddy: true, themes: thArts | thYouth | thLearning},
	{name: "Film Club for 16-25s", desc: "Watch a film together, then chat about it over pizza. Young people choose the films.",
		cats: []linkwork.Category{cCreative, cSocial}, minAge: 16, maxAge: 25, join: dropIn, venues: []venue{vArtsCentre, vYouthClub}, days: []string{"TH", "FR"}, opens: "18:00", closes: "20:30", youth: true, buddy: true, themes: thArts | thYouth},
	{name: "Street Art Workshops (13-18)", desc: "Design and paint a legal mural with professional street artists. Stencils, spray techniques and planning a big piece together.",
		cats: []linkwork.Category{cCreative}, minAge: 13, maxAge: 18, join: selfRef, venues: []venue{vYouthClub, vArtsCentre}, days: []string{"SA"}, opens: "11:00", closes: "14:00", youth: true, buddy: true, themes: thArts | thYouth},
	{name: "Jam Night and Band Rehearsal Rooms", desc: "Free rehearsal rooms and a monthly jam night for young musicians. Instruments and amps available; beginners welcome.",
		cats: []linkwork.Category{cCreative, cSocial}, minAge: 14, maxAge: 25, join: selfRef, venues: []venue{vYouthClub, vArtsCentre}, days: []string{"TU", "FR"}, opens: "18:00", closes: "21:00", youth: true, themes: thArts | thYouth},
	{name: "Crafternoon: Crafts and a Cuppa", desc: "A different craft each week, from card-making to collage, all materials provided. No skill needed, just come along.",
		cats: []linkwork.Category{cCreative, cSocial}, join: dropIn, cost: "£1 a session", venues: hallVenue, days: weekdays, opens: "13:00", closes: "15:00", buddy: true, themes: thArts | thCommunity | thSocial},
	{name: "Art for Wellbeing (6-week course)", desc: "A small, gentle group using art to relax and express feelings, led by an artist with mental health training. Places through a referral.",
		cats: []linkwork.Category{cCreative, cWellbeing}, minAge: 18, join: referral, venues: []venue{vArtsCentre, vCommunityCentre}, days: weekdays, opens: "10:00", closes: "12:00", buddy: true, themes: thArts | thWellbeing},

	// Social.
	{name: "{area} Men's Shed", desc: "A workshop where men (and anyone else) make, mend and chat: woodwork, bike repairs and projects for the community. Tools and tea provided.",
		cats: []linkwork.Category{cSocial, cVocational}, minAge: 18, join: dropIn, venues: []venue{vCommunityCentre}, days: []string{"TU", "TH"}, opens: "10:00", closes: "15:00", buddy: true, themes: thSocial | thLearning},
	{name: "Community Café and Chat", desc: "Pay-as-you-feel breakfasts and lunches, cooked by volunteers, with friendly faces and help to find other activities.",
		cats: []linkwork.Category{cSocial, cSelfCare}, join: dropIn, venues: []venue{vCafe, vChurchHall, vCommunityCentre}, days: weekdays, opens: "10:00", closes: "14:00", youth: true, buddy: true, themes: thSocial | thCommunity},
	{name: "Friday Lunch Club for Over-60s", desc: "A two-course hot lunch, a quiz or entertainment, and company. Transport can be arranged for people who cannot get there.",
		cats: []linkwork.Category{cSocial}, minAge: 60, join: selfRef, cost: "£4 for lunch", venues: []venue{vChurchHall, vCommunityCentre}, days: []string{"FR"}, opens: "12:00", closes: "14:30", buddy: true, themes: thSocial | thCommunity},
	{name: "Young Adults' Social (18-30)", desc: "Meet new people at relaxed monthly socials: bowling, games, food and walks. Many come alone; a volunteer welcomes newcomers.",
		cats: []linkwork.Category{cSocial}, minAge: 18, maxAge: 30, join: selfRef, cost: "Costs vary by outing; many are free", venues: []venue{vCafe, vCommunityCentre}, days: []string{"TH", "SA"}, opens: "18:30", closes: "21:00", youth: true, buddy: true, themes: thSocial | thYouth},
	{name: "Games Night at {venue}", desc: "Board games, card games and a cuppa. Volunteers teach the rules; come alone or with a friend.",
		cats: []linkwork.Category{cSocial, cIndoor}, minAge: 16, join: dropIn, venues: []venue{vCafe, vLibrary, vCommunityCentre}, days: evenings, opens: "18:30", closes: "21:00", youth: true, buddy: true, themes: thSocial | thIndoor | thCommunity},
	{name: "Welcome Coffee Morning for New Arrivals", desc: "For anyone new to the city, including refugees and people seeking asylum: coffee, conversation, English practice and help finding your way.",
		cats: []linkwork.Category{cSocial, cVocational}, minAge: 16, join: dropIn, venues: []venue{vChurchHall, vCommunityCentre}, days: weekdays, opens: "10:00", closes: "12:00", buddy: true, themes: thSocial | thLearning},
	{name: "Youth Club ({day})", desc: "Pool, table tennis, music, games consoles, tuck shop and youth workers to talk to. A safe, warm place to hang out with friends.",
		cats: []linkwork.Category{cSocial, cIndoor}, minAge: 11, maxAge: 18, join: dropIn, cost: "50p a night", venues: youthVenue, days: evenings, opens: "18:00", closes: "20:30", youth: true, buddy: true, themes: thYouth | thCommunity},
	{name: "Book Club at {area} Library", desc: "A friendly monthly book club. Copies of each book are provided by the library, including audiobooks and large print.",
		cats: []linkwork.Category{cSocial, cCreative}, minAge: 16, join: dropIn, venues: []venue{vLibrary}, days: weekdays, opens: "18:00", closes: "19:30", themes: thLearning | thSocial},
	{name: "Dog Walking Buddies", desc: "Walk a rescue dog with a small group: fresh air, exercise and conversation. No dog of your own needed.",
		cats: []linkwork.Category{cSocial, cSelfCare}, minAge: 16, join: selfRef, venues: []venue{vPark}, days: weekend, opens: "10:00", closes: "11:30", buddy: true, themes: thGreen | thSocial},
	{name: "Friendship Group for Autistic Adults", desc: "A calm social group run by and for autistic adults: quiet room, clear plans for each session, no pressure to talk.",
		cats: []linkwork.Category{cSocial, cWellbeing}, minAge: 18, join: selfRef, venues: []venue{vCommunityCentre, vLibrary}, days: evenings, opens: "18:00", closes: "20:00", buddy: true, themes: thSocial | thWellbeing},
	{name: "Women's Social Circle", desc: "A warm, informal group for women of every background: chat, crafts, trips and guest speakers. Children welcome in the holidays.",
		cats: []linkwork.Category{cSocial}, minAge: 18, join: dropIn, venues: hallVenue, days: weekdays, opens: "10:00", closes: "12:00", buddy: true, themes: thSocial | thCommunity},
	{name: "Intergenerational Tea Party", desc: "Young volunteers and older neighbours share tea, cake and games once a month. Volunteering hours count towards awards.",
		cats: []linkwork.Category{cSocial}, join: dropIn, venues: []venue{vChurchHall, vCommunityCentre}, days: []string{"SA", "SU"}, opens: "14:00", closes: "16:00", youth: true, buddy: true, themes: thSocial | thCommunity},

	// Indoor.
	{name: "Board Game Afternoons", desc: "Hundreds of games to choose from and staff to teach them. Quiet tables available.",
		cats: []linkwork.Category{cIndoor, cSocial}, join: dropIn, cost: "£3 table fee; free with a link worker voucher", venues: []venue{vCafe}, days: weekend, opens: "12:00", closes: "17:00", youth: true, buddy: true, themes: thIndoor},
	{name: "Chess for Beginners and Improvers", desc: "Learn chess or sharpen your game. Friendly coaching, puzzles and casual games; sets provided.",
		cats: []linkwork.Category{cIndoor}, join: dropIn, venues: []venue{vLibrary, vCommunityCentre}, days: evenings, opens: "18:00", closes: "20:00", youth: true, themes: thIndoor | thLearning},
	{name: "Tabletop Gaming and Miniatures (12-18)", desc: "Paint miniatures and play strategy and role-playing games with others who love them. Models and paints provided.",
		cats: []linkwork.Category{cIndoor, cCreative}, minAge: 12, maxAge: 18, join: dropIn, venues: []venue{vLibrary, vYouthClub}, days: []string{"FR", "SA"}, opens: "16:00", closes: "18:30", youth: true, buddy: true, themes: thIndoor | thYouth},
	{name: "Gaming Club (13-18)", desc: "Console and PC gaming with youth workers: team games, tournaments and chats about staying safe online.",
		cats: []linkwork.Category{cIndoor, cSocial}, minAge: 13, maxAge: 18, join: dropIn, venues: youthVenue, days: evenings, opens: "17:00", closes: "19:00", youth: true, buddy: true, themes: thIndoor | thYouth},
	{name: "Indoor Bowls Taster", desc: "Try indoor bowls: gentle, sociable and suitable for all abilities. Flat-soled shoes needed; bowls provided.",
		cats: []linkwork.Category{cIndoor, cSports}, minAge: 18, join: dropIn, cost: "£2 a session", venues: []venue{vLeisureCentre, vSportsHall}, days: weekdays, opens: "14:00", closes: "16:00", buddy: true, themes: thIndoor | thSport},
	{name: "Homework Club (11-16)", desc: "A quiet space after school with computers, printing and volunteer tutors to help with homework and revision.",
		cats: []linkwork.Category{cIndoor, cVocational}, minAge: 11, maxAge: 16, join: dropIn, venues: []venue{vLibrary, vYouthClub}, days: weekdays, opens: "15:30", closes: "17:30", youth: true, themes: thLearning | thIndoor | thYouth},
	{name: "Pool and Snooker Club (16+)", desc: "Tables free to use with friendly regulars happy to give a game and a few tips.",
		cats: []linkwork.Category{cIndoor, cSocial}, minAge: 16, join: dropIn, cost: "£2 a session", venues: []venue{vCommunityCentre}, days: anyDay, opens: "13:00", closes: "17:00", buddy: true, themes: thIndoor | thCommunity},
	{name: "Quiz Night", desc: "A monthly general-knowledge quiz; join a team on the night if you come alone.",
		cats: []linkwork.Category{cIndoor, cSocial}, minAge: 18, join: dropIn, cost: "£1 a player", venues: []venue{vCommunityCentre, vChurchHall}, days: []string{"TH"}, opens: "19:30", closes: "21:30", themes: thIndoor | thCommunity | thSocial},
	{name: "Jigsaw and Puzzle Swap", desc: "Swap jigsaws and puzzle books, do a jigsaw together and have a natter.",
		cats: []linkwork.Category{cIndoor, cSocial}, join: dropIn, venues: []venue{vLibrary}, days: weekdays, opens: "10:00", closes: "12:00", buddy: true, themes: thIndoor | thLearning},
	{name: "Science Club at the Library (11-16)", desc: "Hands-on experiments, robots and coding challenges run by university student volunteers.",
		cats: []linkwork.Category{cIndoor, cVocational}, minAge: 11, maxAge: 16, join: selfRef, venues: []venue{vLibrary}, days: []string{"SA"}, opens: "10:30", closes: "12:00", youth: true, themes: thLearning | thIndoor},

	// Self-care.
	{name: "Grow Your Own allotment group", desc: "Learn to grow fruit and vegetables on a shared allotment, with tools, seeds and an experienced grower. Take home what you pick.",
		cats: []linkwork.Category{cSelfCare, cSocial}, minAge: 16, join: selfRef, venues: []venue{vAllotment}, days: []string{"WE", "SA"}, opens: "10:00", closes: "12:30", buddy: true, themes: thGreen | thSelfCare},
	{name: "Cooking on a Budget (6-week course)", desc: "Cook simple, healthy meals for under £2 a portion and take the food home. Learn to plan, shop and batch-cook.",
		cats: []linkwork.Category{cSelfCare, cVocational}, minAge: 16, join: selfRef, venues: []venue{vCommunityCentre}, days: weekdays, opens: "10:00", closes: "12:00", buddy: true, themes: thSelfCare | thLearning | thCommunity},
	{name: "Gentle Yoga — {day}", desc: "Slow, beginner-friendly yoga focused on breathing and stretching. Mats provided; chair-based options for anyone who needs them.",
		cats: []linkwork.Category{cSelfCare, cSports}, minAge: 16, join: dropIn, cost: "£4 a class; £2 concessions", venues: hallVenue, days: anyDay, opens: "18:00", closes: "19:00", buddy: true, themes: thSelfCare},
	{name: "Mindfulness for Young People (13-18)", desc: "Six short sessions of simple mindfulness and breathing techniques to help with stress, worry and sleep.",
		cats: []linkwork.Category{cSelfCare, cWellbeing}, minAge: 13, maxAge: 18, join: viaLW, venues: youthVenue, days: weekdays, opens: "16:00", closes: "17:00", youth: true, buddy: true, themes: thSelfCare | thYouth},
	{name: "Mindfulness Course (8 weeks)", desc: "An eight-week mindfulness course with a trained teacher, for managing stress and low mood. Small groups.",
		cats: []linkwork.Category{cSelfCare, cWellbeing}, minAge: 18, join: selfRef, venues: []venue{vCommunityCentre, vLibrary}, days: evenings, opens: "18:30", closes: "20:00", themes: thSelfCare | thWellbeing},
	{name: "Health Walks — {area}", desc: "Short, sociable walks of about an hour at an easy pace, led by trained volunteers. Finish with a cuppa.",
		cats: []linkwork.Category{cSelfCare, cSports}, join: dropIn, venues: []venue{vPark}, days: weekdays, opens: "10:30", closes: "11:30", buddy: true, themes: thGreen | thSelfCare | thCommunity},
	{name: "Sleep Well Workshop", desc: "A two-hour workshop on why sleep goes wrong and practical ways to sleep better. Repeats every month.",
		cats: []linkwork.Category{cSelfCare}, minAge: 16, join: selfRef, venues: []venue{vLibrary, vCommunityCentre}, days: weekdays, opens: "18:00", closes: "20:00", themes: thSelfCare | thWellbeing},
	{name: "Community Garden Volunteering", desc: "Help look after the community garden: planting, weeding, building and harvesting. Gloves and tools provided; no experience needed.",
		cats: []linkwork.Category{cSelfCare, cVocational}, minAge: 14, join: dropIn, venues: []venue{vAllotment, vPark}, days: []string{"TU", "SA"}, opens: "10:00", closes: "13:00", youth: true, buddy: true, themes: thGreen},
	{name: "Nature Connection Walks", desc: "Slow walks in the woods and along the river, noticing nature, with moments of quiet. Good for calming a busy mind.",
		cats: []linkwork.Category{cSelfCare}, minAge: 16, join: selfRef, venues: []venue{vPark}, days: weekend, opens: "10:00", closes: "12:00", buddy: true, themes: thGreen | thSelfCare},
	{name: "Healthy Eating on a Student Budget (16-25)", desc: "Quick, cheap, healthy meals for young people living independently or about to. Leave with recipes and a bag of ingredients.",
		cats: []linkwork.Category{cSelfCare, cVocational}, minAge: 16, maxAge: 25, join: selfRef, venues: youthVenue, days: evenings, opens: "17:00", closes: "19:00", youth: true, buddy: true, themes: thSelfCare | thYouth},
	{name: "Breathing Space Relaxation Drop-in", desc: "A quiet hour of guided relaxation, breathing and stretching in a calm room. Come as you are.",
		cats: []linkwork.Category{cSelfCare, cWellbeing}, minAge: 16, join: dropIn, venues: []venue{vCommunityCentre, vLibrary}, days: weekdays, opens: "12:30", closes: "13:30", buddy: true, themes: thSelfCare | thWellbeing},

	// Vocational and educational.
	{name: "Coding Club for 13-18s", desc: "Learn to code games, websites and apps with volunteer developers. Laptops provided; complete beginners welcome.",
		cats: []linkwork.Category{cVocational, cIndoor}, minAge: 13, maxAge: 18, join: selfRef, venues: []venue{vLibrary, vYouthClub}, days: evenings, opens: "16:30", closes: "18:00", youth: true, buddy: true, themes: thLearning | thYouth},
	{name: "Volunteering Taster Days (16+)", desc: "Try volunteering for a day with local charities, with support to find a regular role that suits you. Looks good on a CV.",
		cats: []linkwork.Category{cVocational, cSocial}, minAge: 16, join: selfRef, venues: []venue{vCommunityCentre}, days: weekdays, opens: "10:00", closes: "15:00", youth: true, buddy: true, themes: thLearning | thSocial},
	{name: "Job Club and CV Help", desc: "Help with CVs, applications, interview practice and online job searching, one to one, with computers and printing.",
		cats: []linkwork.Category{cVocational}, minAge: 16, join: dropIn, venues: []venue{vLibrary, vCommunityCentre}, days: weekdays, opens: "10:00", closes: "13:00", themes: thLearning | thCommunity},
	{name: "English Conversation Café", desc: "Practise everyday English in a relaxed group, from beginners to advanced, with volunteer teachers. Free childcare.",
		cats: []linkwork.Category{cVocational, cSocial}, minAge: 16, join: dropIn, venues: []venue{vLibrary, vChurchHall}, days: weekdays, opens: "10:00", closes: "12:00", buddy: true, themes: thLearning | thSocial},
	{name: "Digital Skills Drop-in", desc: "Get help with phones, tablets, email, online forms and staying safe online. Devices can be borrowed.",
		cats: []linkwork.Category{cVocational}, minAge: 16, join: dropIn, venues: []venue{vLibrary}, days: weekdays, opens: "13:30", closes: "15:30", themes: thLearning},
	{name: "Money Skills for Young People (16-25)", desc: "Budgeting, bank accounts, bills, avoiding debt and what to do if things go wrong, in four relaxed sessions.",
		cats: []linkwork.Category{cVocational, cSelfCare}, minAge: 16, maxAge: 25, join: selfRef, venues: youthVenue, days: weekdays, opens: "16:00", closes: "17:30", youth: true, themes: thLearning | thYouth},
	{name: "First Aid for Teens (13-18)", desc: "A practical one-day first aid course with a certificate: CPR, recovery position, bleeding and burns.",
		cats: []linkwork.Category{cVocational}, minAge: 13, maxAge: 18, join: selfRef, venues: []venue{vCommunityCentre, vYouthClub}, days: []string{"SA"}, opens: "10:00", closes: "15:00", youth: true, themes: thLearning | thYouth},
	{name: "Outdoor Skills Award Group (14-18)", desc: "Expeditions, volunteering and a new skill working towards a nationally recognised award. Kit provided.",
		cats: []linkwork.Category{cVocational, cSports}, minAge: 14, maxAge: 18, join: selfRef, venues: youthVenue, days: []string{"TH"}, opens: "18:00", closes: "20:00", youth: true, themes: thYouth | thLearning},
	{name: "College and Apprenticeship Advice (16-25)", desc: "One-to-one advice on courses, apprenticeships, traineeships and jobs, and help with applications.",
		cats: []linkwork.Category{cVocational}, minAge: 16, maxAge: 25, join: dropIn, venues: youthVenue, days: weekdays, opens: "13:00", closes: "16:00", youth: true, themes: thLearning | thYouth},
	{name: "Barista Skills Course (16-25)", desc: "Four weeks of barista training in a community café, with a certificate and work experience at the end.",
		cats: []linkwork.Category{cVocational}, minAge: 16, maxAge: 25, join: referral, venues: []venue{vCafe}, days: weekdays, opens: "09:30", closes: "12:30", youth: true, themes: thLearning | thSocial},
	{name: "Maths and English for Adults", desc: "Free courses to build confidence with everyday maths and English, at your own pace, with a qualification if you want one.",
		cats: []linkwork.Category{cVocational}, minAge: 19, join: selfRef, venues: []venue{vLibrary, vCommunityCentre}, days: weekdays, opens: "18:00", closes: "20:00", themes: thLearning},
	{name: "Bike Maintenance Course", desc: "Learn to fix punctures, adjust brakes and gears, and keep a bike roadworthy. Finish with a refurbished bike at a low price.",
		cats: []linkwork.Category{cVocational, cSports}, minAge: 14, join: selfRef, venues: []venue{vCommunityCentre}, days: []string{"WE", "SA"}, opens: "13:00", closes: "15:00", youth: true, themes: thLearning | thSport},

	// Wellbeing support.
	{name: "Counselling for Young People (11-18)", desc: "Up to twelve free sessions with a qualified counsellor, face to face or online. Young people can refer themselves. There is usually a short wait.",
		cats: []linkwork.Category{cWellbeing}, minAge: 11, maxAge: 18, join: selfRef, venues: youthVenue, days: weekdays, opens: "15:30", closes: "19:00", youth: true, themes: thWellbeing | thYouth},
	{name: "Low-cost Counselling for Adults", desc: "Weekly counselling with qualified and trainee counsellors. Fees are based on income, and nobody is turned away for lack of money.",
		cats: []linkwork.Category{cWellbeing}, minAge: 18, join: selfRef, cost: "£5 to £30 a session, based on income", venues: []venue{vCommunityCentre}, days: weekdays, opens: "09:00", closes: "20:00", themes: thWellbeing},
	{name: "Anxiety Peer Support Group", desc: "A small, friendly group for people living with anxiety, run by people who have been there. Share as much or as little as you like.",
		cats: []linkwork.Category{cWellbeing, cSocial}, minAge: 18, join: dropIn, venues: hallVenue, days: evenings, opens: "18:30", closes: "20:00", buddy: true, themes: thWellbeing},
	{name: "LGBTQ+ Youth Group (13-19)", desc: "A safe, friendly space for lesbian, gay, bi, trans, queer and questioning young people: games, chat, trips and support from trained youth workers.",
		cats: []linkwork.Category{cWellbeing, cSocial}, minAge: 13, maxAge: 19, join: selfRef, venues: youthVenue, days: evenings, opens: "18:00", closes: "20:00", youth: true, buddy: true, themes: thWellbeing | thYouth},
	{name: "Bereavement Support Group", desc: "Meet others who have lost someone close, in a supportive group led by trained volunteers. Any loss, however long ago.",
		cats: []linkwork.Category{cWellbeing}, minAge: 18, join: selfRef, venues: []venue{vChurchHall, vCommunityCentre}, days: weekdays, opens: "14:00", closes: "15:30", buddy: true, themes: thWellbeing},
	{name: "Young People's Bereavement Support (11-18)", desc: "One-to-one and group support for children and young people after the death of someone important to them.",
		cats: []linkwork.Category{cWellbeing}, minAge: 11, maxAge: 18, join: referral, venues: youthVenue, days: weekdays, opens: "16:00", closes: "18:00", youth: true, themes: thWellbeing | thYouth},
	{name: "Young Carers Group (11-18)", desc: "Time out for young people who look after someone at home: activities, trips, a break, and people who understand. Support with school too.",
		cats: []linkwork.Category{cWellbeing, cSocial}, minAge: 11, maxAge: 18, join: referral, venues: youthVenue, days: []string{"TU", "SA"}, opens: "17:00", closes: "19:00", youth: true, buddy: true, themes: thWellbeing | thYouth | thCommunity},
	{name: "Young Adult Carers (18-25)", desc: "Peer support, advice and breaks for young adults caring for family members, including help with college, work and benefits.",
		cats: []linkwork.Category{cWellbeing, cSocial}, minAge: 18, maxAge: 25, join: selfRef, venues: []venue{vCommunityCentre, vCafe}, days: evenings, opens: "18:00", closes: "20:00", youth: true, buddy: true, themes: thWellbeing | thYouth},
	{name: "Men's Talk Circle", desc: "It's okay to talk. A peer support group for men over 18, every week, no booking needed. Come along, have a brew, talk or just listen.",
		cats: []linkwork.Category{cWellbeing, cSocial}, minAge: 18, join: dropIn, venues: hallVenue, days: []string{"MO"}, opens: "19:00", closes: "21:00", buddy: true, themes: thWellbeing | thSocial | thSport},
	{name: "Online Peer Support Chat (16-25)", desc: "Moderated group chats for young people on evenings and weekends, with trained peer supporters. Anonymous if you want.",
		cats: []linkwork.Category{cWellbeing}, minAge: 16, maxAge: 25, join: selfRef, venues: online, days: anyDay, opens: "18:00", closes: "22:00", youth: true, themes: thWellbeing | thYouth},
	{name: "Online Counselling by Video or Text (13-25)", desc: "Counselling by video call or live text chat, for young people who find it easier not to meet in person.",
		cats: []linkwork.Category{cWellbeing}, minAge: 13, maxAge: 25, join: referral, venues: online, days: weekdays, opens: "16:00", closes: "21:00", youth: true, themes: thWellbeing | thYouth},
	{name: "Wellbeing Café", desc: "A relaxed evening space for anyone struggling with their mental health, with peer workers to talk to and information about other support.",
		cats: []linkwork.Category{cWellbeing, cSocial}, minAge: 16, join: dropIn, venues: []venue{vCafe, vCommunityCentre}, days: []string{"WE", "FR"}, opens: "17:00", closes: "20:00", buddy: true, themes: thWellbeing | thCommunity},
	{name: "Parents of Teenagers Support Group", desc: "For parents and carers worried about a teenager's mental health: share experiences and learn what helps, with a family support worker.",
		cats: []linkwork.Category{cWellbeing}, minAge: 18, join: selfRef, venues: hallVenue, days: evenings, opens: "19:00", closes: "20:30", themes: thWellbeing | thCommunity},
	{name: "Bereaved by Suicide Support Group", desc: "A confidential group for adults bereaved or affected by suicide, facilitated by people with lived experience.",
		cats: []linkwork.Category{cWellbeing}, minAge: 18, join: selfRef, venues: []venue{vCommunityCentre}, days: []string{"TH"}, opens: "18:30", closes: "20:30", themes: thWellbeing},
	{name: "Autistic Young People's Social (13-19)", desc: "A sensory-friendly social group for autistic young people, with a quiet room, clear plans and staff who get it.",
		cats: []linkwork.Category{cWellbeing, cSocial}, minAge: 13, maxAge: 19, join: selfRef, venues: youthVenue, days: []string{"WE", "SA"}, opens: "16:00", closes: "18:00", youth: true, buddy: true, themes: thWellbeing | thYouth},
}

// fixedAsset is a listing every city holds, whatever the seed: the
// community@ login's organisation's activities and free football for
// under-18s near the city centre.
type fixedAsset struct {
	act     activity
	org     string // the organisation's name
	outcode string
	venue   string
}

var fixedAssets = []fixedAsset{
	{activity{name: "Northfield Youth Football Drop-in (11-17)", desc: "Free five-a-side football for 11 to 17-year-olds on the floodlit pitch behind the community centre. Youth workers run it; just turn up in trainers.",
		cats: []linkwork.Category{cSports, cSocial}, minAge: 11, maxAge: 17, join: dropIn, days: []string{"WE"}, opens: "17:00", closes: "18:30", youth: true, buddy: true}, communityOrg, "LS6", "Northfield Community Centre"},
	{activity{name: "Girls' Football (11-18) — Northfield", desc: "Football just for girls and young women, from first-timers to school team players. Relaxed, fun and free.",
		cats: []linkwork.Category{cSports, cSocial}, minAge: 11, maxAge: 18, join: dropIn, days: []string{"TH"}, opens: "17:30", closes: "18:45", youth: true, buddy: true}, communityOrg, "LS6", "Northfield Community Centre"},
	{activity{name: "Knit and Natter at Northfield Community Centre", desc: "Bring your knitting, crochet or sewing, or learn from scratch with needles and wool provided. Tea, biscuits and good company.",
		cats: []linkwork.Category{cCreative, cSocial}, join: dropIn, days: []string{"TU"}, opens: "13:30", closes: "15:30", buddy: true}, communityOrg, "LS6", "Northfield Community Centre"},
	{activity{name: "Coding Club for 13-18s — Northfield", desc: "Learn to code games, websites and apps with volunteer developers. Laptops provided; complete beginners welcome.",
		cats: []linkwork.Category{cVocational, cIndoor}, minAge: 13, maxAge: 18, join: selfRef, days: []string{"MO"}, opens: "16:30", closes: "18:00", youth: true, buddy: true}, communityOrg, "LS6", "Northfield Community Centre"},
	{activity{name: "Couch to 5k — Northfield", desc: "A nine-week beginners' running group that takes you from walking to running 5k with a friendly run leader. Nobody is left behind.",
		cats: []linkwork.Category{cSports, cSelfCare}, minAge: 16, join: selfRef, days: []string{"MO", "SA"}, opens: "18:30", closes: "19:30", buddy: true}, communityOrg, "LS6", "Northfield Recreation Ground"},
	{activity{name: "Northfield Young Carers Group (11-18)", desc: "Time out for young people who look after someone at home: activities, trips, a break, and people who understand.",
		cats: []linkwork.Category{cWellbeing, cSocial}, minAge: 11, maxAge: 18, join: referral, days: []string{"TU"}, opens: "17:00", closes: "19:00", youth: true, buddy: true}, communityOrg, "LS6", "Northfield Community Centre"},
	{activity{name: "Cooking on a Budget for 16-25s", desc: "Cook simple, healthy meals for under £2 a portion and take the food home. Six weekly sessions.",
		cats: []linkwork.Category{cSelfCare, cVocational}, minAge: 16, maxAge: 25, join: selfRef, days: []string{"WE"}, opens: "17:00", closes: "19:00", youth: true, buddy: true}, communityOrg, "LS6", "Northfield Community Centre"},
	{activity{name: "Games Night at Northfield Community Centre", desc: "Board games, card games and a cuppa. Volunteers teach the rules; come alone or with a friend.",
		cats: []linkwork.Category{cSocial, cIndoor}, minAge: 16, join: dropIn, days: []string{"FR"}, opens: "18:30", closes: "21:00", youth: true, buddy: true}, communityOrg, "LS6", "Northfield Community Centre"},
	{activity{name: "Football for all — 16-25 drop-in", desc: "Friendly, mixed-ability five-a-side on the 3G pitch. No team, no kit, no problem: just turn up in trainers.",
		cats: []linkwork.Category{cSports, cSocial}, minAge: 16, maxAge: 25, join: dropIn, days: []string{"MO", "WE"}, opens: "18:00", closes: "19:30", youth: true, buddy: true}, "Millbrook Community Football Trust", "LS1", "Millbrook City Sports Hall"},
	{activity{name: "Beckside Rovers Juniors Football Training (8-16)", desc: "Weekly football training for boys and girls aged 8 to 16, all abilities, with qualified volunteer coaches. Free; shin pads can be borrowed.",
		cats: []linkwork.Category{cSports}, minAge: 8, maxAge: 16, join: selfRef, days: []string{"TU", "SA"}, opens: "17:00", closes: "18:15", youth: true, buddy: true}, "Beckside Rovers Football Club", "LS11", "Beckside Park"},
	{activity{name: "Saturday Parkrun at Hollin Park", desc: "A free, timed 5k run, jog or walk every Saturday morning, organised by volunteers. Walkers are as welcome as runners.",
		cats: []linkwork.Category{cSports, cSocial}, join: dropIn, days: []string{"SA"}, opens: "09:00", closes: "10:00", youth: true, buddy: true}, "Millbrook Harriers Running Club", "LS4", "Hollin Park"},
	{activity{name: "Youth Boxing — Tuesdays", desc: "Non-contact boxing fitness for young people: pads, skipping and circuits with qualified coaches. Gloves provided.",
		cats: []linkwork.Category{cSports}, minAge: 11, maxAge: 18, join: dropIn, days: []string{"TU"}, opens: "17:30", closes: "18:30", youth: true, buddy: true}, "Northfield Boxing Club", "LS6", "Northfield Boxing Gym"},
}

// venueName names a venue of the kind in the area.
func venueName(g *rng, v venue, area string) string {
	switch v {
	case vCommunityCentre:
		return area + " Community Centre"
	case vLeisureCentre:
		return area + " Leisure Centre"
	case vLibrary:
		return area + " Library"
	case vChurchHall:
		return pick(g, churchHalls)
	case vPark:
		return parkName(area)
	case vYouthClub:
		return area + " Youth Centre"
	case vSportsHall:
		return area + " Sports Hall"
	case vAllotment:
		return area + " Allotments"
	case vCafe:
		return pick(g, cafes)
	case vArtsCentre:
		return area + " Arts Centre"
	}
	return ""
}

// parkName names the park of an area: "Hollin Park", "Beckside Park".
func parkName(area string) string {
	if len(area) > 5 && area[len(area)-5:] == " Park" {
		return area
	}
	return area + " Park"
}

var churchHalls = []string{"St Mary's Church Hall", "St John's Church Hall", "St Aidan's Church Hall", "Christ Church Hall", "St Michael's Church Hall",
	"Trinity Methodist Church Hall", "St Peter's Church Hall", "Emmanuel Church Hall", "St Chad's Parish Hall", "Salem Chapel Hall"}

var cafes = []string{"The Corner Café", "The Hive Community Café", "Steps Café", "The Old Chapel Café", "Rosie's Kitchen", "The Pantry", "Common Ground Café", "The Kettle"}

// accessibility describes access at a venue of the kind.
func accessibility(g *rng, v venue) string {
	switch v {
	case vPark, vAllotment:
		return pick(g, []string{
			"Outdoors on mostly flat paths; some uneven ground. Toilets in the café nearby.",
			"Outdoors; paths can be muddy after rain. Accessible toilet at the park entrance.",
			"Raised beds for wheelchair users; accessible toilet on site.",
		})
	case vOnline:
		return pick(g, []string{
			"Works on a phone, tablet or computer; captions on video calls.",
			"Text chat available for anyone who would rather not speak; no camera needed.",
		})
	}
	return pick(g, []string{
		"Step-free access, accessible toilet and hearing loop.",
		"Ground floor, step-free, with an accessible toilet. Quiet room available.",
		"Step-free access and accessible toilet; parking for blue badge holders.",
		"First floor with a lift; accessible toilet.",
		"Up one flight of stairs; no lift. Ask about other options.",
		"Step-free entrance; Changing Places toilet in the building.",
		"Low-sensory session: lights dimmed and music off on request.",
	})
}

// dayNames are the weekdays as people read them, for {day}.
var dayNames = map[string]string{"MO": "Mondays", "TU": "Tuesdays", "WE": "Wednesdays", "TH": "Thursdays", "FR": "Fridays", "SA": "Saturdays", "SU": "Sundays"}
