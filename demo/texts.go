package demo

import linkwork "github.com/linkwork/linkwork"

// need is why someone is referred: the words a referrer, the person and the
// link worker use about it, and the kinds of activity that tend to help.
type need struct {
	key          string
	youth, adult bool // who it is for
	reasonsYouth []string
	reasonsAdult []string
	wants        []string
	matters      []string
	needs        []string
	goals        []string
	cats         []linkwork.Category
}

var needs = []need{
	{key: "loneliness", youth: true, adult: true,
		reasonsYouth: []string{
			"Spends most evenings alone in their room and says they have no friends at school since their friendship group fell out.",
			"Isolated since leaving school; not in work or college and rarely goes out.",
		},
		reasonsAdult: []string{
			"Lives alone since their partner died and has not been out of the house much in months. Says the days are very long.",
			"Lonely and isolated; frequent GP appointments where the main issue seems to be wanting someone to talk to.",
			"Recently retired and finding the loss of routine and colleagues hard.",
		},
		wants:   []string{"To meet people and have something to look forward to in the week.", "Wants to find a group where they could make friends.", "\"I just want to get out of the house more.\""},
		matters: []string{"Their dog and their garden.", "Family, though they live far away.", "Music, and feeling useful again.", "Their little sister and their gaming friends online."},
		needs:   []string{"Loneliness and low confidence in new places; worries about going somewhere alone for the first time.", "Lost touch with friends; unsure what is available locally."},
		goals:   []string{"Go to a group once a week", "Make one new friend", "Get out of the house three times a week", "Feel less lonely at weekends"},
		cats:    []linkwork.Category{cSocial, cCreative, cIndoor}},
	{key: "low_mood", youth: true, adult: true,
		reasonsYouth: []string{
			"Low mood for several months, stopped going to football and dropping behind at school. Not at risk; GP has discussed it with parent.",
			"Has become withdrawn and tearful; parents worried. School reports low attendance this term.",
		},
		reasonsAdult: []string{
			"Low mood since losing their job; sleeping badly and not doing the things they used to enjoy. On the waiting list for talking therapies.",
			"Mild depression; medication helping a little but wants something practical to do.",
		},
		wants:   []string{"To feel more like themselves and have some structure to the week.", "Wants to get back into a sport they used to love.", "\"Something to get me up in the morning.\""},
		matters: []string{"Getting back to how they were before.", "Being a good parent.", "Their friends and their football team.", "Being outdoors."},
		needs:   []string{"Low mood and lack of routine; finds it hard to start things.", "Low motivation; sleep is poor and days have no shape."},
		goals:   []string{"Feel happier most days", "Get back to playing football", "Have a routine for the week", "Sleep better"},
		cats:    []linkwork.Category{cSports, cSelfCare, cCreative}},
	{key: "anxiety", youth: true, adult: true,
		reasonsYouth: []string{
			"Anxiety about going to school and being in crowds; has had panic attacks in class.",
			"Social anxiety: finds it very hard to speak in groups and avoids going out. Has said they want help.",
		},
		reasonsAdult: []string{
			"Anxiety has stopped them using buses and going into town; keen to build confidence gradually.",
			"Generalised anxiety; completed a course of CBT and wants to keep making progress.",
		},
		wants:   []string{"To be able to go places without feeling panicky.", "Wants to feel calmer and try something new with support at first.", "\"To not feel scared all the time.\""},
		matters: []string{"Feeling safe and in control.", "Being able to do things with friends again.", "Their cat, drawing and their nan."},
		needs:   []string{"Anxiety in new places and with new people; would benefit from being accompanied to the first session.", "Worries a lot; avoids situations that feel unpredictable."},
		goals:   []string{"Go to a new activity with my link worker", "Catch the bus into town on my own", "Feel less worried before school", "Speak up once in a group"},
		cats:    []linkwork.Category{cSelfCare, cCreative, cWellbeing}},
	{key: "bereavement", youth: true, adult: true,
		reasonsYouth: []string{
			"Their grandad, who they were very close to, died in the spring. Struggling to concentrate and has stopped seeing friends.",
			"Mum died last year. Lives with dad, who is also grieving; school thinks they need someone outside the family to talk to.",
		},
		reasonsAdult: []string{
			"Bereaved six months ago after a long illness. Was their carer and has lost their purpose and routine.",
			"Sudden death of a sibling; struggling with everyday life and not sleeping.",
		},
		wants:   []string{"To talk to people who understand.", "Wants to find a way to cope and remember them.", "\"I don't know, I just don't want to feel like this.\""},
		matters: []string{"Remembering their grandad and keeping his allotment going.", "Looking after the rest of the family.", "Their faith and their community."},
		needs:   []string{"Grief, isolation and loss of routine since the death.", "Bereavement; also money worries since the funeral."},
		goals:   []string{"Talk to someone about how I feel", "Do something I enjoy once a week", "Find a bereavement group", "Feel able to go back to football"},
		cats:    []linkwork.Category{cWellbeing, cSocial, cSelfCare}},
	{key: "exam_stress", youth: true,
		reasonsYouth: []string{
			"Very stressed about GCSEs; not sleeping, eating less and getting headaches. Not coping with the pressure.",
			"A-level stress; has stopped all hobbies to revise and is now overwhelmed.",
		},
		wants:   []string{"To feel less stressed and have something outside of school.", "Wants help managing stress and getting some balance back."},
		matters: []string{"Doing well at school and making their family proud.", "Getting into college to study art.", "Their friends."},
		needs:   []string{"Exam stress and poor sleep; no time for anything they enjoy.", "Perfectionism; very hard on themselves."},
		goals:   []string{"Feel calmer before exams", "Do one fun thing every week", "Sleep eight hours on school nights"},
		cats:    []linkwork.Category{cSelfCare, cSports, cCreative}},
	{key: "moved", youth: true, adult: true,
		reasonsYouth: []string{
			"Moved to Millbrook in the summer after a family breakdown and started a new school; has not made any friends yet.",
			"Arrived in the UK last year; learning English and finding it hard to fit in at school.",
		},
		reasonsAdult: []string{
			"Moved here for work and knows nobody outside the office; feeling very isolated.",
			"Recently granted refugee status and rehoused in the city; wants to meet people and improve their English.",
		},
		wants:   []string{"To make friends and get to know the area.", "Wants to find things to do nearby.", "\"To feel at home here.\""},
		matters: []string{"Settling in and making friends.", "Keeping in touch with family back home.", "Finding work and learning English."},
		needs:   []string{"Isolation after moving; does not know what is available locally.", "New to the area and the language; needs help with the first steps."},
		goals:   []string{"Join a club at my new school", "Learn my way around town", "Make two friends", "Practise English every week"},
		cats:    []linkwork.Category{cSocial, cVocational, cSports}},
	{key: "confidence", youth: true, adult: true,
		reasonsYouth: []string{
			"Low self-esteem and confidence; has been bullied and now avoids after-school activities.",
			"Very quiet and lacks confidence; would like to try new things but is nervous about going alone.",
		},
		reasonsAdult: []string{
			"Lost confidence after a long period of illness and is now ready to try things again.",
			"Wants to rebuild confidence and get back into work or volunteering after years caring for a parent.",
		},
		wants:   []string{"To feel more confident and try something new.", "Wants to do something they are good at.", "\"To be braver.\""},
		matters: []string{"Being taken seriously.", "Making things with their hands.", "Getting a job one day."},
		needs:   []string{"Low confidence; needs encouragement and someone to go with them at first.", "Self-esteem low after bullying."},
		goals:   []string{"Try one new activity", "Go to a session on my own", "Feel more confident talking to new people", "Find a volunteering role"},
		cats:    []linkwork.Category{cCreative, cSports, cVocational}},
	{key: "young_carer", youth: true,
		reasonsYouth: []string{
			"Young carer for mum, who has MS. Little time for themselves and tired at school.",
			"Looks after a younger brother with autism most evenings; misses out on activities and friends.",
		},
		wants:   []string{"Some time for themselves.", "To meet other young people in the same position."},
		matters: []string{"Their family being okay.", "Having a break sometimes.", "Doing well enough at school."},
		needs:   []string{"Caring responsibilities leave no time for friends or hobbies; tired and stressed.", "Young carer not known to carers' services until now."},
		goals:   []string{"Have one evening a week for me", "Meet other young carers", "Feel less tired at school"},
		cats:    []linkwork.Category{cWellbeing, cSocial, cSports}},
	{key: "identity", youth: true,
		reasonsYouth: []string{
			"Questioning their gender identity and feeling isolated; would like to meet other LGBTQ+ young people.",
			"Came out to family recently; some tension at home and feeling low. Wants somewhere they can be themselves.",
		},
		wants:   []string{"To meet people who get it.", "Somewhere safe to be themselves."},
		matters: []string{"Being accepted.", "Their friends online and their art."},
		needs:   []string{"Isolation and worries about acceptance; needs a safe, affirming space.", "Some conflict at home; would benefit from peer support."},
		goals:   []string{"Go to the LGBTQ+ youth group", "Feel okay being myself", "Talk to my mum about how I feel"},
		cats:    []linkwork.Category{cWellbeing, cSocial, cCreative}},
	{key: "health", adult: true,
		reasonsAdult: []string{
			"Type 2 diabetes and weight gain; wants to be more active but lacks confidence to join a gym.",
			"Chronic pain limits what they can do; low mood and isolated as a result. Keen to find gentle activity.",
			"Recovering from a heart attack; cardiac rehab finished and wants to keep active with others.",
		},
		wants:   []string{"To get fitter and feel better in themselves.", "Wants gentle exercise with other people."},
		matters: []string{"Staying independent.", "Being around for the grandchildren."},
		needs:   []string{"Long-term condition affecting mood and confidence; needs accessible, gentle activity.", "Physical health worries; unsure what is safe to do."},
		goals:   []string{"Walk for 30 minutes three times a week", "Join an exercise group", "Cook healthier meals"},
		cats:    []linkwork.Category{cSelfCare, cSports, cSocial}},
	{key: "purpose", adult: true, youth: true,
		reasonsYouth: []string{
			"Left college, not in education or work; spends most days gaming and has lost routine.",
			"Care leaver living independently for the first time; struggling with money, cooking and being on their own.",
		},
		reasonsAdult: []string{
			"Out of work for two years; feels they have no purpose and is losing hope.",
			"Long-term unemployed and isolated; interested in volunteering as a first step.",
		},
		wants:   []string{"To find something worthwhile to do.", "Wants to get into work or training.", "\"To stop wasting my days.\""},
		matters: []string{"Earning their own money.", "Being independent.", "Helping other people."},
		needs:   []string{"No routine or purpose; would benefit from volunteering or a course.", "Practical skills for living independently."},
		goals:   []string{"Start volunteering", "Apply for a course or job", "Have a weekly routine", "Learn to cook three meals"},
		cats:    []linkwork.Category{cVocational, cSelfCare, cSocial}},
}

// needsFor returns the needs that fit someone of the age.
func needsFor(age int) []int {
	if age < 18 {
		return youthNeeds
	}
	if age <= 25 {
		return youngAdultNeeds
	}
	return adultNeeds
}

var youthNeeds, youngAdultNeeds, adultNeeds = func() (y, ya, a []int) {
	for i, n := range needs {
		if n.youth {
			y = append(y, i)
		}
		ya = append(ya, i)
		if n.adult {
			a = append(a, i)
		}
	}
	return
}()

// reason returns a referral reason for the need at the age: young adults
// may be described either way.
func (n *need) reason(g *rng, age int) string {
	youth := len(n.reasonsAdult) == 0 || age < 18 || (age <= 25 && g.chance(0.4))
	if youth && len(n.reasonsYouth) > 0 {
		return pick(g, n.reasonsYouth)
	}
	return pick(g, n.reasonsAdult)
}

// Risks, by streetlight.
var (
	risksGreen = []string{
		"None known.",
		"No known risks.",
		"No current risk concerns; no previous mental health support.",
		"None known. Parent aware of and supports the referral.",
		"Low risk. Has a good relationship with their GP.",
	}
	risksAmber = []string{
		"History of self-harm (cutting), last episode eight months ago; safety plan in place with CAMHS.",
		"Passive thoughts of not wanting to be here, no plan or intent; GP reviewing.",
		"Drinking more than usual since the bereavement; open to talking about it.",
		"Some conflict at home; early help worker involved.",
		"Vulnerable to exploitation: spending time with older young people; school aware.",
		"Disordered eating in the past; currently stable, monitored by GP.",
	}
	risksRed = []string{
		"Current suicidal thoughts with a plan; needs an urgent mental health assessment.",
		"Recent overdose; discharged from A&E yesterday without follow-up in place.",
		"Disclosed abuse at home during the referral call; safeguarding referral made.",
		"Hearing voices telling them to hurt themselves; needs specialist assessment.",
		"Severe weight loss and restricting food; needs an eating disorder assessment.",
	}
)

// What triage recorded about a possible risk, the day it arrived.
var (
	riskActedOn = map[linkwork.Streetlight]string{
		linkwork.StreetlightRed: "Read the day it arrived. Phoned the person and their GP the same afternoon; " +
			"safety plan agreed, crisis numbers given, and the safeguarding lead informed.",
		linkwork.StreetlightAmber: "Read the day it arrived. Spoke to the referrer: no current risk, support in place; " +
			"crisis numbers sent to the person. For the team meeting.",
	}
	riskNotARisk = "Read the day it arrived. The words were about the past or about someone else: no current risk."
)

// Triage texts.
var (
	declineRed = []struct{ reason, onward, onwardYouth string }{
		{"Needs urgent specialist mental health support; social prescribing is not safe for them now.", "Crisis team (NHS 111, option 2)", "CAMHS single point of access"},
		{"Risk too high for social prescribing at present; discussed with the safeguarding lead.", "GP for an urgent review", "CAMHS single point of access"},
		{"Needs a specialist assessment first.", "Community mental health team via the GP", "CAMHS single point of access"},
		{"In crisis when screened; safety plan agreed on the phone.", "Samaritans 116 123 and a same-day GP appointment", "Samaritans 116 123 and CAMHS single point of access"},
	}
	declineOther = []struct{ reason, onward string }{
		{"Needs are clinical rather than social; talking therapy is the better first step.", "Millbrook Talking Therapies (NHS self-referral)"},
		{"Lives outside the area the service covers.", "Their local social prescribing service, through their GP"},
		{"Main need is housing and debt advice, not social prescribing.", "Citizens Advice"},
		{"Wanted information only; happy to find activities themselves.", "Millbrook Community Directory (self-help listings)"},
		{"Already well supported by a youth worker who can help with activities.", "Their existing youth worker, with our directory listings"},
		{"Needs are around medication and physical health.", "GP"},
	}
	declineUnder13 = struct{ reason, onward string }{
		"Under 13: outside the ages the service is contracted for.", "School pastoral team and Millbrook Early Help",
	}
	withdrawReasons = []string{
		"Decided they did not want support right now.",
		"Could not be contacted after three attempts by phone, text and letter.",
		"Moved out of the area before support started.",
		"Found support elsewhere.",
		"Asked to withdraw: feeling much better.",
	}
	// withdrawnByReferrer is why a practitioner withdraws a referral.
	withdrawnByReferrer = "Referrer withdrew the referral: now open to CAMHS."
	deferReasons        = []string{
		"Exams until June; young person asked to start after.",
		"In hospital; revisit after discharge.",
		"Waiting for the outcome of a CAMHS assessment before deciding.",
		"Moving house next month; will start once settled.",
		"Starting new medication; GP suggests revisiting in six weeks.",
		"Away with family for several weeks.",
	}
	acceptGreen = []string{
		"Suitable for social prescribing; discussed at the triage meeting.",
		"Green on the streetlight guide; within age and area.",
		"Fits the service; person keen to start.",
	}
	acceptAmber = []string{
		"Amber: discussed at the team meeting; agreed with a safety plan in place.",
		"Amber: accepted with the GP aware and a check-in after the first session.",
	}
)

// Case texts.
var (
	plans = []string{
		"Fortnightly sessions; explore activities together and go along to the first one.",
		"Weekly sessions at school to start, then taper; find a club and buddy to the first session.",
		"Phone check-ins between face-to-face sessions; build up to going to a group alone.",
		"Research two or three options before the next session; phased buddying at the chosen activity.",
		"Six sessions, then review. Connect to a group, then hand over gradually.",
		"Meet at the youth hub; try one new thing each fortnight and review goals at session four.",
	}
	closureNotes = map[linkwork.ClosureReason][]string{
		linkwork.ClosedGoalsMet:    {"Goals met; person feels ready to carry on alone and knows they can come back.", "Ending planned over three sessions; good progress on all goals."},
		linkwork.ClosedConnected:   {"Going to their activity every week on their own now.", "Connected to two groups; contact tapered and the ending went well."},
		linkwork.ClosedOnward:      {"Referred to talking therapies, with consent; will keep going to their group.", "Moved to CAMHS after a review with the safeguarding lead."},
		linkwork.ClosedDisengaged:  {"Did not attend the last three sessions and did not reply to texts or a letter. Door left open.", "Stopped engaging after the second session; referrer informed."},
		linkwork.ClosedDeclined:    {"Decided they did not want support after the first meeting.", "Did not want support when contacted from the waiting list."},
		linkwork.ClosedMovedAway:   {"Moved out of the area; given details of the local service there.", "Family moved away; signposted to the new area's youth service."},
		linkwork.ClosedNotSuitable: {"Needs were beyond social prescribing; directed to the GP and the community mental health team.", "Disclosure during session; referred to CAMHS single point of access and safeguarding informed."},
	}
	outcomeSummaries = []string{
		" has joined a weekly activity and says they feel more confident going out.",
		" met their goals and now goes to a group on their own.",
		" feels less lonely and has made new friends at a local group.",
		" has a routine again and is thinking about volunteering.",
		" is sleeping better and feels calmer, and knows how to come back if needed.",
	}
)

// Contact notes.
var (
	notesFirst = []string{
		"First meeting. Talked about what matters to them and what they used to enjoy; agreed goals in their own words.",
		"Got to know each other and explained how the service works. Completed the wellbeing measures together.",
		"First session: talked through the referral, what they want from support and how they like to be contacted.",
	}
	notesMiddle = []string{
		"Went through three activities together; keen on one. Will ring the organiser before next time.",
		"Reviewed goals; good progress. Talked about how the first session at the group went.",
		"Met at the activity and stayed for the whole session. Next time meet at the door.",
		"Check-in: going well, went to the group again on their own.",
		"Harder week; talked it through. Agreed a small step for next week.",
		"Researched options since last time and brought two to look at together.",
	}
	notesEnding = []string{
		"Planned the ending together and talked about what comes next.",
		"Last session: looked back at goals and completed the measures. Knows how to come back.",
		"Reviewed how things have changed; contact now monthly as we wind down.",
	}
	notesDNA = []string{
		"Did not attend. Texted to check in.",
		"Not there when I arrived; school said they were off sick today.",
		"No answer to the call. Sent a text and will try again next week.",
	}
	notesCancelled = []string{
		"Cancelled by the young person: school trip. Rebooked for next week.",
		"Cancelled by the person: hospital appointment. Rebooked.",
		"Cancelled by me: sickness. Rang to rearrange.",
	}
	connectionNotes = []string{
		"Mum will drive them to the first session.",
		"Phoned the organiser to introduce them; they will look out for them.",
		"Going with a friend from school.",
		"Link worker will meet them at the door for the first session.",
		"",
		"",
	}
)

// Personal details.
var (
	guardianInvolvement = []string{"informed of the referral", "attends sessions", "to be contacted first", "informed of the referral", "not to be contacted"}
	accessNeeds         = []string{
		"Autistic: prefers clear written information, and quiet spaces for meetings.",
		"Wheelchair user: needs step-free venues.",
		"Dyslexic: prefers voice notes to written information.",
		"Hard of hearing: text rather than call.",
		"Social anxiety: first meeting somewhere familiar, please.",
		"ADHD: short sessions and reminders the day before work best.",
		"Partially sighted: large print, or read information aloud.",
	}
	bestTimes        = []string{"After 4pm on weekdays", "Mornings", "Any time", "Evenings after 6pm", "Weekday lunchtimes", "Not before 11am"}
	youthWork        = []string{"Year 11 at school", "Sixth form", "At college studying mechanics", "At college studying health and social care", "Apprentice electrician", "Not in education, employment or training", "Working part-time in a café", "University student", "Working in a warehouse", "Looking for work"}
	adultWork        = []string{"Working full-time in retail", "Retired", "Unemployed", "Part-time carer and cleaner", "Self-employed builder", "Off work sick", "Works nights at a distribution centre", "Full-time carer for a parent", "Nurse", "Bus driver", "Works in an office", "Volunteer at a charity shop"}
	competentReasons = []string{
		"Understands what the service offers, the choices involved and what happens to their information; able to weigh this up and decide for themselves.",
		"Clear about what they want and why; understands they can stop at any time. Judged competent to consent to support and to information sharing.",
	}
	notCompetentReasons = []string{
		"Struggled to weigh up the information on this occasion; parent to be involved in decisions for now. Revisit at the next session.",
	}
)
