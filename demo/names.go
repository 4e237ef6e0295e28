package demo

// background is a group of names that go together, with the ethnicity (in
// the 2021 census categories) recorded for the people given them, the
// languages they may speak, and how common the group is in the city.
type background struct {
	ethnicity string
	share     float64
	// Given names for people born since about 2000 and before.
	youngF, youngM, olderF, olderM []string
	family                         []string
	languages                      []string // besides English; empty for English only
}

var backgrounds = []background{
	{
		ethnicity: "White: English, Welsh, Scottish, Northern Irish or British", share: 0.60,
		youngF: []string{"Olivia", "Amelia", "Isla", "Ava", "Mia", "Ella", "Grace", "Lily", "Evie", "Freya", "Poppy", "Sophie", "Chloe", "Holly", "Megan", "Jessica", "Ellie", "Lucy", "Charlotte", "Emily", "Abbie", "Keira", "Summer", "Millie", "Niamh"},
		youngM: []string{"Oliver", "Harry", "George", "Jack", "Charlie", "Jacob", "Alfie", "Noah", "Thomas", "Oscar", "Leo", "Joshua", "Ethan", "Callum", "Liam", "Tyler", "Kyle", "Connor", "Reece", "Ben", "Lewis", "Jake", "Archie", "Finley", "Riley"},
		olderF: []string{"Susan", "Karen", "Julie", "Tracey", "Sarah", "Claire", "Helen", "Joanne", "Lisa", "Nicola", "Margaret", "Patricia", "Linda", "Janet", "Pauline", "Christine", "Dawn", "Andrea", "Kelly", "Gemma", "Rebecca", "Kathleen", "Jean", "Barbara", "Sharon"},
		olderM: []string{"David", "Paul", "Mark", "Andrew", "Stephen", "Gary", "Ian", "Michael", "Peter", "John", "Robert", "Richard", "Christopher", "Darren", "Wayne", "Dean", "Keith", "Brian", "Alan", "Graham", "Kevin", "Neil", "Martin", "Shaun", "Stuart"},
		family: []string{"Smith", "Jones", "Taylor", "Brown", "Wilson", "Walker", "Wood", "Wright", "Robinson", "Thompson", "Hall", "Green", "Clarke", "Jackson", "Hughes", "Turner", "Hill", "Lee", "Moore", "Harris", "Shaw", "Holmes", "Barker", "Atkinson", "Whitaker", "Sutcliffe", "Ackroyd", "Hirst", "Booth", "Marsden", "Haigh", "Firth", "Dixon", "Parkinson", "Brook", "Pickles", "Greenwood", "Lister", "Kershaw", "Cooper"},
	},
	{
		ethnicity: "White: Irish", share: 0.01,
		youngF: []string{"Aoife", "Ciara", "Niamh", "Saoirse", "Roisin", "Orla"},
		youngM: []string{"Cian", "Conor", "Sean", "Oisin", "Darragh", "Ronan"},
		olderF: []string{"Bernadette", "Siobhan", "Mary", "Bridget", "Maureen", "Deirdre"},
		olderM: []string{"Patrick", "Declan", "Brendan", "Seamus", "Kieran", "Eamon"},
		family: []string{"Murphy", "Kelly", "O'Brien", "Byrne", "Ryan", "O'Connor", "Walsh", "McCarthy", "Doyle", "Brennan", "Gallagher", "Quinn"},
	},
	{
		ethnicity: "White: Gypsy or Irish Traveller", share: 0.005,
		youngF: []string{"Kathleen", "Bridget", "Margaret", "Shannon", "Chelsea"},
		youngM: []string{"Johnny", "Patrick", "Tommy", "Jimmy", "Michael"},
		olderF: []string{"Kathleen", "Bridget", "Nora", "Mary"},
		olderM: []string{"Johnny", "Patrick", "Tommy", "Martin"},
		family: []string{"Ward", "McDonagh", "Doherty", "Joyce", "Connors", "Price", "Lee", "Smith"},
	},
	{
		ethnicity: "White: other White background", share: 0.03, // Polish
		youngF:    []string{"Zuzanna", "Julia", "Maja", "Wiktoria", "Natalia", "Alicja", "Zofia", "Lena"},
		youngM:    []string{"Jakub", "Kacper", "Szymon", "Filip", "Dawid", "Mateusz", "Antoni", "Bartosz"},
		olderF:    []string{"Agnieszka", "Katarzyna", "Magdalena", "Monika", "Renata", "Marta", "Ewa"},
		olderM:    []string{"Piotr", "Tomasz", "Krzysztof", "Marek", "Andrzej", "Pawel", "Grzegorz"},
		family:    []string{"Nowak", "Kowalski", "Wisniewski", "Wojcik", "Kaminski", "Lewandowski", "Zielinski", "Szymanski"},
		languages: []string{"Polish"},
	},
	{
		ethnicity: "White: other White background", share: 0.015, // Romanian
		youngF:    []string{"Andreea", "Ioana", "Maria", "Elena", "Bianca", "Alexandra"},
		youngM:    []string{"Andrei", "Mihai", "Alexandru", "Stefan", "Gabriel", "Luca"},
		olderF:    []string{"Mihaela", "Elena", "Daniela", "Gabriela"},
		olderM:    []string{"Ion", "Gheorghe", "Vasile", "Florin"},
		family:    []string{"Popescu", "Ionescu", "Dumitru", "Stan", "Constantin", "Radu", "Munteanu"},
		languages: []string{"Romanian"},
	},
	{
		ethnicity: "White: other White background", share: 0.01, // Lithuanian
		youngF:    []string{"Gabija", "Emilija", "Ugne", "Austeja"},
		youngM:    []string{"Lukas", "Matas", "Dominykas", "Jokubas"},
		olderF:    []string{"Jurgita", "Rasa", "Ausra", "Vilma"},
		olderM:    []string{"Darius", "Tomas", "Mindaugas", "Marius"},
		family:    []string{"Kazlauskas", "Petrauskas", "Jankauskas", "Stankevicius", "Vasiliauskas"},
		languages: []string{"Lithuanian", "Russian"},
	},
	{
		ethnicity: "Mixed: White and Black Caribbean", share: 0.025,
		youngF: []string{"Jada", "Aaliyah", "Tia", "Kiara", "Shanice", "Imani", "Amelia", "Leah"},
		youngM: []string{"Tyrese", "Jaden", "Marcus", "Kai", "Malachi", "Elijah", "Reuben", "Jayden"},
		olderF: []string{"Michelle", "Donna", "Natalie", "Marcia", "Simone", "Paula"},
		olderM: []string{"Dwayne", "Carl", "Lee", "Anthony", "Leon", "Trevor"},
		family: []string{"Campbell", "Francis", "Thomas", "Williams", "Johnson", "Brown", "Richards", "Clarke", "Grant", "Morrison"},
	},
	{
		ethnicity: "Mixed: White and Asian", share: 0.015,
		youngF: []string{"Maya", "Layla", "Anya", "Sienna", "Leila", "Priya"},
		youngM: []string{"Kian", "Arjun", "Rohan", "Sami", "Zain", "Adam"},
		olderF: []string{"Nadia", "Sabrina", "Rachel", "Yasmin"},
		olderM: []string{"Daniel", "Sanjay", "Omar", "Nicholas"},
		family: []string{"Khan-Smith", "Patel", "Ahmed", "Taylor", "Ali", "Sharma", "Wilson", "Hussain"},
	},
	{
		ethnicity: "Asian or Asian British: Pakistani", share: 0.075,
		youngF:    []string{"Aisha", "Maryam", "Zara", "Hafsa", "Amina", "Inaya", "Sana", "Iqra", "Hira", "Eman", "Khadija", "Noor"},
		youngM:    []string{"Muhammad", "Ibrahim", "Yusuf", "Ayaan", "Hamza", "Zayn", "Bilal", "Usman", "Haris", "Rayan", "Umar", "Adnan"},
		olderF:    []string{"Nasreen", "Shazia", "Rubina", "Farzana", "Samina", "Parveen", "Nazia", "Rukhsana"},
		olderM:    []string{"Mohammed", "Imran", "Tariq", "Asif", "Zahid", "Khalid", "Shahid", "Naveed"},
		family:    []string{"Khan", "Hussain", "Ahmed", "Ali", "Iqbal", "Akhtar", "Mahmood", "Shah", "Butt", "Rashid", "Aslam", "Qureshi", "Malik", "Raza"},
		languages: []string{"Urdu", "Punjabi", "Urdu", "Pahari"},
	},
	{
		ethnicity: "Asian or Asian British: Indian", share: 0.04,
		youngF:    []string{"Anika", "Diya", "Priya", "Simran", "Kiran", "Isha", "Jasleen", "Riya"},
		youngM:    []string{"Arjun", "Rohan", "Aarav", "Dev", "Harjit", "Karan", "Vikram", "Jaskaran"},
		olderF:    []string{"Sunita", "Harpreet", "Manjit", "Rajinder", "Kamaljit", "Meena", "Geeta"},
		olderM:    []string{"Rajesh", "Sanjay", "Gurpreet", "Sukhdev", "Ashok", "Amrik", "Vijay"},
		family:    []string{"Patel", "Singh", "Kaur", "Sharma", "Gill", "Sandhu", "Mistry", "Chauhan", "Sidhu", "Kumar", "Bains", "Dhillon"},
		languages: []string{"Punjabi", "Gujarati", "Hindi"},
	},
	{
		ethnicity: "Asian or Asian British: Bangladeshi", share: 0.02,
		youngF:    []string{"Tasnim", "Sumaiya", "Nusrat", "Fatima", "Ruksana", "Lamia"},
		youngM:    []string{"Abdul", "Rahim", "Sayeed", "Tanvir", "Arif", "Shahed"},
		olderF:    []string{"Rehana", "Shahida", "Jahanara", "Momtaz"},
		olderM:    []string{"Abdul", "Mizanur", "Shamsul", "Jamal"},
		family:    []string{"Begum", "Miah", "Uddin", "Rahman", "Islam", "Hoque", "Chowdhury", "Ahmed"},
		languages: []string{"Bengali", "Sylheti"},
	},
	{
		ethnicity: "Asian or Asian British: Chinese", share: 0.015,
		youngF:    []string{"Mei", "Lily", "Jing", "Xinyi", "Yan", "Chloe"},
		youngM:    []string{"Wei", "Jun", "Hao", "Jason", "Kevin", "Zihan"},
		olderF:    []string{"Li", "Mei Ling", "Ying", "Lan"},
		olderM:    []string{"Wei", "Ming", "Jian", "Hong"},
		family:    []string{"Chen", "Wang", "Li", "Zhang", "Liu", "Wong", "Cheung", "Lam"},
		languages: []string{"Cantonese", "Mandarin"},
	},
	{
		ethnicity: "Black, Black British, Caribbean or African: African", share: 0.05,
		youngF:    []string{"Blessing", "Precious", "Abena", "Amara", "Chiamaka", "Ifeoma", "Favour", "Deborah", "Nia", "Hodan", "Ayan", "Faith"},
		youngM:    []string{"David", "Samuel", "Emmanuel", "Kwame", "Chidi", "Tobi", "Daniel", "Kofi", "Abdi", "Mohamed", "Joshua", "Ayo"},
		olderF:    []string{"Grace", "Comfort", "Ngozi", "Funmi", "Yetunde", "Fadumo", "Joy", "Esther"},
		olderM:    []string{"Oluwaseun", "Chukwuma", "Kwabena", "Tendai", "Abdullahi", "Emeka", "Joseph", "Peter"},
		family:    []string{"Okafor", "Adeyemi", "Mensah", "Asante", "Mohamed", "Hassan", "Osei", "Okonkwo", "Adebayo", "Boateng", "Moyo", "Ndlovu", "Nwosu", "Abdi"},
		languages: []string{"Somali", "Yoruba", "Twi", "Tigrinya", "French", "Shona"},
	},
	{
		ethnicity: "Black, Black British, Caribbean or African: Caribbean", share: 0.02,
		youngF: []string{"Chantelle", "Kezia", "Tanisha", "Jasmine", "Destiny", "Aaliyah"},
		youngM: []string{"Jermaine", "Kyrie", "Andre", "Marlon", "Isaiah", "Nathaniel"},
		olderF: []string{"Beverley", "Marcia", "Pauline", "Yvonne", "Hyacinth"},
		olderM: []string{"Winston", "Delroy", "Clive", "Errol", "Lloyd"},
		family: []string{"Campbell", "Reid", "Brown", "Walters", "Bailey", "Henry", "Bennett", "Gayle", "Sinclair", "Hylton"},
	},
	{
		ethnicity: "Other ethnic group: Arab", share: 0.015,
		youngF:    []string{"Layla", "Nour", "Rania", "Salma", "Hiba", "Yasmin"},
		youngM:    []string{"Omar", "Ahmad", "Karim", "Yousef", "Hassan", "Adam"},
		olderF:    []string{"Fatima", "Huda", "Samira", "Mona"},
		olderM:    []string{"Mahmoud", "Khaled", "Nabil", "Samir"},
		family:    []string{"Al-Sayed", "Haddad", "Mansour", "Saleh", "Nasser", "Khalil", "Abbas", "Hamdan"},
		languages: []string{"Arabic", "Kurdish"},
	},
	{
		ethnicity: "Prefer not to say", share: 0.015,
		youngF: []string{"Emma", "Hannah", "Sara", "Zoe", "Ruby"},
		youngM: []string{"James", "Adam", "Sam", "Daniel", "Max"},
		olderF: []string{"Anne", "Elizabeth", "Ruth", "Joanna"},
		olderM: []string{"Thomas", "Simon", "Philip", "Jonathan"},
		family: []string{"Bell", "Ward", "Young", "King", "Fox", "Stone", "Marshall", "Webb"},
	},
}

// neutralNames are names non-binary young people often choose.
var neutralNames = []string{"Alex", "Charlie", "Sam", "Jordan", "Rowan", "Robin", "Frankie", "Jamie", "Riley", "Morgan", "Ash", "Kai", "Phoenix", "River", "Sky", "Jude"}

// shortNames are the names some people prefer to their given one.
var shortNames = map[string]string{
	"Thomas": "Tom", "Joshua": "Josh", "Benjamin": "Ben", "Callum": "Cal", "Muhammad": "Mo",
	"Mohammed": "Mo", "Christopher": "Chris", "Michael": "Mike", "Jessica": "Jess",
	"Charlotte": "Lottie", "Rebecca": "Becky", "Margaret": "Peggy", "Patricia": "Pat",
	"Elizabeth": "Liz", "Katarzyna": "Kasia", "Zuzanna": "Zuzia", "Abena": "Abi",
	"Oluwaseun": "Seun", "Chukwuma": "Chuks", "Ifeoma": "Ify", "Alexander": "Alex",
	"Samuel": "Sam", "Daniel": "Dan", "Nathaniel": "Nate", "Jacob": "Jake", "Stephen": "Steve",
	"Andrew": "Andy", "Kathleen": "Kath", "Christine": "Chris", "Ibrahim": "Ibby",
}

var backgroundTable = func() weighted[int] {
	idx := make([]int, len(backgrounds))
	w := make([]float64, len(backgrounds))
	for i, b := range backgrounds {
		idx[i] = i
		w[i] = b.share
	}
	return newWeighted(idx, w)
}()

// name is a generated person's name.
type name struct {
	given, family, preferred string
	bg                       *background
}

// newName returns a name for someone of the gender ("Female", "Male" or
// other) born in the year.
func newName(g *rng, gender string, born int) name {
	b := &backgrounds[backgroundTable.pick(g)]
	young := born >= 1998
	female := gender == "Female" || (gender != "Male" && g.chance(0.5))
	var given string
	switch {
	case young && female:
		given = pick(g, b.youngF)
	case young:
		given = pick(g, b.youngM)
	case female:
		given = pick(g, b.olderF)
	default:
		given = pick(g, b.olderM)
	}
	n := name{given: given, family: pick(g, b.family), bg: b}
	if s, ok := shortNames[given]; ok && g.chance(0.4) {
		n.preferred = s
	}
	return n
}
