"""Invented news stories, written for this project, in the shapes the real site uses.

None of this text comes from the site: the people, figures and events are made up;
only the forms are real (titles in the older site's sentence case, titles that open
with a quotation mark, regional formats, the Weekly Digest's items, author pages).
`make.py` lays them out as page dumps; the stories of `tests/tagging_cases.py` fill
the ordinary listings.

Each story says which countries it is about (`countries`, must be tagged) and
which it only mentions (`also`, tagging them is not an error).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Story:
    title: str
    paragraphs: tuple[str, ...]
    countries: str = ""
    also: str = ""


def S(title: str, *paragraphs: str, countries: str = "", also: str = "") -> Story:
    return Story(title, paragraphs, countries, also)


# fmt: off
# -- The older site: titles in sentence case ------------------------------------------------
SENTENCE_CASE: tuple[Story, ...] = (
    S("Kazakhstan: Senate passes water tariff bill in second reading",
      "The Senate of Kazakhstan approved a bill on Thursday that lets regional utilities raise water tariffs once a year instead of every three years. Senators said the old rules had left pipes unrepaired in many towns.",
      "The bill now goes to President Tokayev for signature. Consumer groups in Almaty said they would watch how quickly bills rise.",
      countries="KZ"),
    S("Tajikistan to build three new schools in Khatlon",
      "The government of Tajikistan will build three secondary schools in the Khatlon region next year, the education ministry said. Each school will take 900 pupils in two shifts.",
      "Officials in Dushanbe said the region's population had grown faster than its classrooms since 2015.",
      countries="TJ"),
    S("Kyrgyz parliament approves new mining code",
      "Deputies of the Jogorku Kenesh voted 74 to 6 for a new mining code that raises royalties on gold and obliges companies to hire local workers. The code replaces a law from 1997.",
      countries="KG"),
    S("Uzbekistan lifts ban on cotton yarn exports",
      "Uzbekistan has lifted a three-year ban on exports of cotton yarn, the ministry of investment said on Monday. Textile firms in Namangan and Fergana had asked for the change after domestic prices fell.",
      countries="UZ"),
    S("Turkmenistan opens new gas compressor station on the East-West pipeline",
      "Turkmengaz has commissioned a compressor station on the East-West pipeline, state television reported. The station will allow Turkmenistan to move more gas from its eastern fields to the Caspian coast.",
      "President Serdar Berdimuhamedov attended the opening ceremony.",
      countries="TM"),
    S("In Afghanistan, Taliban announce new rules for aid groups",
      "The Taliban administration in Kabul issued rules on Sunday requiring foreign aid groups to register every local employee with the ministry of economy. Aid workers said the rules could delay food deliveries to remote provinces.",
      countries="AF"),
    S("Kazakh farmers warn of fodder shortage after dry summer",
      "Livestock farmers in northern Kazakhstan say hay prices have doubled since June after the driest summer in twenty years. The agriculture ministry promised subsidised fodder from state reserves.",
      countries="KZ"),
    S("Bishkek city council votes to raise bus fares",
      "The Bishkek city council voted on Wednesday to raise bus fares from 20 to 25 som from January. The mayor said the extra revenue would pay for 120 new electric buses.",
      countries="KG"),
    S("Power cuts return to Dushanbe as reservoir levels fall",
      "Residents of Dushanbe have again faced evening power cuts as the water level at the Nurek reservoir fell below its winter mark. Barqi Tojik said the cuts would last until spring.",
      countries="TJ"),
    S("Uzbek banks to offer mortgages in national currency only",
      "The Central Bank of Uzbekistan has told commercial banks to stop issuing mortgages in dollars from March. Borrowers who already hold dollar loans may convert them to sum without penalty.",
      countries="UZ"),
    S("Ashgabat hosts exhibition of carpet weavers",
      "Weavers from all five velayats of Turkmenistan are showing more than 300 carpets at an exhibition in Ashgabat this week. The largest carpet on display took eleven women two years to weave.",
      countries="TM"),
    S("Kazakhstan and Kyrgyzstan agree on new border crossing hours",
      "Border posts between Kazakhstan and Kyrgyzstan will stay open around the clock from next month, the two governments said after talks in Bishkek. Truck drivers had complained of queues of up to two days at the Korday crossing.",
      countries="KZ KG"),
    S("Tashkent metro adds night trains during holidays",
      "The Tashkent metro will run trains until 2 a.m. during the New Year holidays, the city administration said. Extra staff will be on duty at the busiest stations.",
      countries="UZ"),
    S("Why are Kazakhstan's wheat exports falling?",
      "Kazakhstan exported 20 percent less wheat in the first half of the season than a year earlier. Traders blame the cost of rail transport and new competition from Russian grain in Afghanistan and Iran.",
      "The grain union in Astana has asked the government to cut rail tariffs for exporters.",
      countries="KZ", also="AF"),
    S("Tajik migrants in Russia face new registration rules",
      "Labour migrants from Tajikistan working in Russia will have to register their fingerprints within 30 days of arrival under rules that came into force this week. Migrant groups in Moscow say many workers do not know about the change.",
      "Remittances from Russia are equal to about a third of Tajikistan's economic output.",
      countries="TJ"),
    S("Almaty residents protest against felling of old trees",
      "Several hundred residents of Almaty gathered outside the mayor's office on Saturday to protest against plans to cut down 400 poplars to widen a road. The city said it would plant three young trees for every one removed.",
      countries="KZ"),
    S("Kyrgyzstan's president signs decree on the state language",
      "President Sadyr Japarov has signed a decree requiring all official documents in Kyrgyzstan to be published first in Kyrgyz. Russian remains an official language under the constitution.",
      countries="KG"),
    S("Afghan traders return to Termez market after two-year pause",
      "Traders from northern Afghanistan have returned to the international trade zone in Termez, Uzbekistan, after it reopened to them this month. Uzbek officials expect the market to handle $300 million in goods a year.",
      countries="AF UZ"),
    S("Uzbekistan and Tajikistan to build joint hydropower plant on the Zarafshan",
      "Uzbekistan and Tajikistan have signed an agreement to build a 320-megawatt hydropower plant on the Zarafshan river and share its output equally. Construction is due to start next spring.",
      countries="UZ TJ"),
    S("Turkmen gas to reach Pakistan by 2030, officials say",
      "Officials in Ashgabat said the TAPI pipeline would deliver the first Turkmen gas to Pakistan by 2030. The section through Afghanistan is the hardest to finance.",
      countries="TM", also="AF"),
    S("Karaganda miners end strike after pay deal",
      "Coal miners in the Karaganda region ended a five-day strike after the mine owner agreed to raise wages by 18 percent. The strike had halted work at four of Kazakhstan's largest coal mines.",
      countries="KZ"),
    S("Rogun dam: World Bank approves new financing",
      "The World Bank has approved $350 million for the Rogun hydropower project in Tajikistan. The money will pay for resettling families from the reservoir area and for new power lines.",
      countries="TJ"),
    S("Osh to get a second bridge over the Ak-Buura river",
      "Construction of a second road bridge in Osh will begin in April, the Kyrgyz ministry of transport said. The city's only bridge is jammed at rush hour.",
      countries="KG"),
    S("New rules for private schools in Turkmenistan",
      "Private schools in Turkmenistan will need a licence renewed every three years under a law passed by the Mejlis. Parents in Ashgabat worry that fees will rise.",
      countries="TM"),
)

# -- Titles that open with a quotation mark, or end with one --------------------------------
QUOTED: tuple[Story, ...] = (
    S("‘We Will Not Leave Our Land’: An Interview with a Farmer from Osh",
      "Nurlan Abdyrakhmanov has grown apricots near Osh for forty years. When the local council offered to buy his orchard for a new road, he refused.",
      "“My father planted these trees,” he told us. Kyrgyzstan's land courts have heard dozens of similar cases this year.",
      countries="KG"),
    S("“A Bridge, Not a Wall”: Uzbekistan’s Foreign Minister on Afghan Trade",
      "Uzbekistan wants to become the bridge between Afghanistan and the rest of Central Asia, its foreign minister said in an interview. Trade through Termez doubled last year.",
      "He said Tashkent would keep working with the authorities in Kabul on the railway to Mazar-i-Sharif.",
      countries="UZ AF"),
    S("‘Silent Rivers’: A Documentary About the Shrinking Aral Sea Premieres in Nukus",
      "A documentary about fishermen who lost their livelihood when the Aral Sea dried up premiered in Nukus, the capital of Karakalpakstan in Uzbekistan. The director spent three years filming in Muynak.",
      countries="UZ", also="KZ"),
    S("“Our Salaries Do Not Cover Rent”: Teachers in Bishkek Speak Out",
      "Teachers at three Bishkek schools have written an open letter to the Kyrgyz education minister saying their pay no longer covers the rent of a one-room flat. The ministry promised a review in the spring.",
      countries="KG"),
    S("'Green Tenge' Bonds Draw Foreign Investors to the Astana Exchange",
      "The first green bonds issued in tenge have drawn orders from investors in Europe and the Gulf, the Astana International Exchange said. Kazakhstan plans to use the money for wind farms.",
      countries="KZ"),
    S("«Made in Tajikistan» Label Arrives in Russian Supermarkets",
      "Dried fruit and honey from Tajikistan are now sold under a national label in two Russian supermarket chains. Exporters in Khujand hope the label will raise prices.",
      countries="TJ"),
    S("‘The Mountains Are Our Pension’: Herders in Naryn Face a Hard Winter",
      "Herders in the Naryn region of Kyrgyzstan are moving their flocks to lower pastures early after heavy snow in October. Many of them have no other income.",
      countries="KG"),
    S("“It Is Time to Talk”: Turkmen Envoy Calls for Caspian Water Summit",
      "Turkmenistan's envoy to the United Nations called for a summit of the Caspian states on the falling level of the sea. The Caspian has dropped by almost two metres in twenty years.",
      countries="TM"),
    S("Mirziyoyev Calls for a ‘New Uzbekistan’ in Local Government",
      "President Shavkat Mirziyoyev told regional governors to publish their budgets online and to meet residents every month. He said the reforms of the past years had not yet reached the districts.",
      countries="UZ"),
)

# -- Regional formats, people abroad, regional offices, venues, enumerations, datelines -----
REGIONAL: tuple[Story, ...] = (
    S("Central Asia–EU Summit to Focus on Critical Minerals",
      "European Commission officials said the second Central Asia–EU summit would put critical minerals and transport at the top of its agenda. Kazakhstan and Uzbekistan have already signed memoranda on rare earth metals with Brussels.",
      countries="KZ KG TJ TM UZ"),
    S("C5+1 Foreign Ministers Meet on the Sidelines of the UN General Assembly",
      "The foreign ministers of the C5+1 format met in New York to discuss counter-terrorism and trade. Kazakhstan's minister chaired the session.",
      countries="KZ KG TJ TM UZ"),
    S("The Five Central Asian Leaders Sign a Water Declaration",
      "The five Central Asian leaders signed a declaration on sharing the waters of the Amu Darya and Syr Darya at a meeting in Dushanbe. Tajikistan's president hosted the talks.",
      countries="KZ KG TJ TM UZ"),
    S("Uzbek Migrants in Russia Face Tighter Checks After New Law",
      "Uzbek migrants working in Russia must now pass a language test and a medical check before they receive a work permit. Russian officials say the rules apply to all foreign workers.",
      "Most of the migrants affected work on building sites in Moscow and St Petersburg.",
      countries="UZ"),
    S("UN Agency Opens Regional Office for Central Asia in Tashkent",
      "A United Nations agency has opened its regional office for Central Asia in Tashkent, which will run programmes in Kazakhstan, Kyrgyzstan, Tajikistan and Turkmenistan as well. The government of Uzbekistan provided the building.",
      "Uzbek officials said the office would employ 60 people.",
      countries="UZ"),
    S("EU–Central Asia Forum Discusses the Trans-Caspian Route",
      "Ministers at the EU–Central Asia forum discussed how to speed up freight on the Trans-Caspian route. Delegates from Kazakhstan and Turkmenistan presented plans for new port capacity.",
      countries="KZ KG TJ TM UZ"),
    S("China–Central Asia Summit Opens with Talks on Railways",
      "Xi Jinping opened the China–Central Asia summit with a call to finish the railway from Kashgar to Andijan. Leaders of the five countries are expected to sign a joint statement on Friday.",
      countries="KZ KG TJ TM UZ"),
    S("Kyrgyz Workers in Kazakhstan to Get Pension Rights",
      "Citizens of Kyrgyzstan working in Kazakhstan will be able to count those years toward their pensions under an agreement ratified by the Mazhilis. About 90,000 Kyrgyz workers are registered in Kazakhstan.",
      countries="KG KZ"),
    S("International Conference on Nuclear Safety Opens in Almaty",
      "Experts from 40 countries gathered in Almaty for a conference on the safety of small modular reactors. The IAEA said it would publish new guidance next year.",
      also="KZ"),
    S("China-Europe Rail Freight Rises for a Third Year",
      "Freight trains between China and Europe carried 12 percent more containers this year, the operators' association said. The trains run through Kazakhstan, Russia and Belarus before reaching Poland.",
      also="KZ"),
    S("Iran and Azerbaijan Sign Gas Swap Deal",
      "ASTANA — Iran and Azerbaijan signed a gas swap agreement on the sidelines of a meeting of the Caspian states. Under the deal Iran will deliver gas to Nakhchivan.",
      also="KZ"),
    S("Central Asian Heads of State Gather for Consultative Meeting",
      "The heads of state of Central Asia met in Tashkent for their annual consultative meeting. The leaders discussed energy, water and a common visa for tourists.",
      countries="KZ KG TJ TM UZ"),
    S("Afghan Refugees in Tajikistan Receive Residence Permits",
      "Tajikistan has given residence permits to 1,200 refugees from Afghanistan, the UN refugee agency said. Most of them live in Vahdat near Dushanbe.",
      countries="AF TJ"),
    S("Astana Hosts C5+1 Business Forum on Green Energy",
      "More than 300 companies took part in a C5+1 business forum in Astana on renewable energy. American firms signed agreements worth $1.2 billion.",
      countries="KZ KG TJ TM UZ"),
)

# -- The Weekly Digest: a title, a one-line summary, and a pointer to the full story ---------
DIGEST_ITEMS: tuple[Story, ...] = (
    S("Kazakhstan Freezes Utility Tariffs for Six Months",
      "The government of Kazakhstan has frozen electricity, gas and water tariffs until June after a jump in inflation.",
      countries="KZ"),
    S("Kyrgyzstan Completes First Section of the Bishkek Ring Road",
      "The first 20 kilometres of a ring road around Bishkek have opened to traffic, the Kyrgyz transport ministry said.",
      countries="KG"),
    S("Tajikistan Reports Record Apricot Harvest",
      "Farmers in Tajikistan harvested 210,000 tonnes of apricots this year, most of them in the Sughd region.",
      countries="TJ"),
    S("Turkmenistan Launches Online Visa Applications",
      "Foreign visitors can now apply for a visa to Turkmenistan online, the state migration service said.",
      countries="TM"),
    S("Uzbekistan Cuts Import Duties on Medicines",
      "Uzbekistan has removed import duties on 400 medicines to bring down prices in pharmacies.",
      countries="UZ"),
    S("Taliban Reopen Girls’ Medical Courses in Herat",
      "The authorities in Afghanistan have allowed medical courses for women to resume in Herat after a year's pause.",
      countries="AF"),
    S("Astana and Tashkent Agree on a Joint Textile Cluster",
      "Kazakhstan and Uzbekistan will set up a joint textile cluster on their border near Saryagash.",
      countries="KZ UZ"),
    S("Kazakhstan Raises Key Rate to 17 Percent",
      "The National Bank of Kazakhstan raised its base rate by one point to 17 percent, citing inflation.",
      countries="KZ"),
    S("Issyk-Kul Resorts Report Record Winter Bookings",
      "Hotels on Lake Issyk-Kul in Kyrgyzstan say winter bookings are up by a third on last year.",
      countries="KG"),
    S("Dushanbe to Host Glacier Conference in May",
      "Tajikistan will host an international conference on glaciers in Dushanbe next May, the foreign ministry said.",
      countries="TJ"),
    S("Turkmen Airline Orders Three New Airliners",
      "Turkmenistan Airlines has ordered three wide-body airliners for its routes to Europe and Asia.",
      countries="TM"),
    S("Samarkand Tourist Numbers Pass Two Million",
      "More than two million foreign tourists visited Samarkand this year, Uzbekistan's tourism committee said.",
      countries="UZ"),
)

# -- Article pages: several paragraphs, sub-headings, bullet lines -------------------------
LONG_READS: tuple[Story, ...] = (
    S("Kazakhstan Bets on Wind Power in the Steppe",
      "Kazakhstan plans to build ten gigawatts of wind farms by 2035, most of them in the windy steppe of the Akmola and Zhambyl regions. The energy ministry says the country's coal plants are too old to run much longer.",
      "Foreign investors have signed agreements for six gigawatts so far, and the first large farm near Astana is due to start production next year.",
      "Who pays for the grid",
      "The hardest part is the grid. Kazakhstan's power lines run from north to south, while the best wind blows in places far from both. KEGOC, the grid operator, wants to spend $2 billion on new lines.",
      "Analysts in Almaty say tariffs will have to rise to pay for it, which the government has so far resisted.",
      "A question of storage",
      "Without storage, wind farms produce power when it is least needed. The ministry has asked bidders to include batteries in their plans for the next auctions.",
      countries="KZ"),
    S("Kyrgyzstan's Gold Mine Turns a Profit for the State",
      "Kumtor, the gold mine that Kyrgyzstan took over from its Canadian owner, paid the state budget more than $300 million last year, the mine's managers said. The mine produced 17 tonnes of gold.",
      "The government says the money will pay for schools and roads in the Issyk-Kul region, where the mine is located.",
      "Environmental concerns",
      "Environmental groups in Bishkek say the mine's waste dump is still too close to a glacier. The managers say they have moved 60 million tonnes of ice and rock away from the pit.",
      "Parliamentary deputies have asked for an independent audit of the mine's accounts.",
      countries="KG"),
    S("Tajikistan's Pamir Highway Reopens After Landslides",
      "The Pamir highway between Khorog and Murghab has reopened after a week of landslides that cut off villages in the Gorno-Badakhshan region of Tajikistan. Rescue teams cleared 40 landslides along the road.",
      "The ministry of emergency situations said two people were injured and 300 tourists had been stranded.",
      "The funding for repairs will come from:",
      "• the state reserve fund, $4 million",
      "• a grant from the Aga Khan Development Network, $1.5 million",
      "Officials in Dushanbe said a permanent solution would need tunnels, which the country cannot yet afford.",
      countries="TJ"),
    S("Uzbekistan Opens Its Power Market to Private Producers",
      "Uzbekistan will let private power producers sell electricity directly to large consumers from next year, under a law signed by President Mirziyoyev. Until now the state company bought all power.",
      "The reform is meant to attract investment to solar farms in the Bukhara and Navoi regions.",
      "What changes for households",
      "Households will keep buying power at regulated prices. The energy ministry in Tashkent says tariffs for families will rise only gradually until 2028.",
      "Economists say the reform could make Uzbekistan a power exporter to Afghanistan within five years.",
      countries="UZ", also="AF"),
    S("Turkmenistan's New City Welcomes Its First Residents",
      "The first 2,000 families have moved into Arkadag, the new city built south of Ashgabat at a cost of several billion dollars. The city has its own hospital, schools and a university.",
      "State media in Turkmenistan say the city runs entirely on solar power, a claim that independent experts cannot check.",
      "Life in the new city",
      "Residents say flats are spacious but that there are few shops. Most of the people who moved are civil servants who work in Ashgabat.",
      countries="TM"),
    S("Taliban Seek Investors for Afghanistan's Copper Mine",
      "The Taliban administration has invited foreign companies to bid for the Mes Aynak copper deposit in Afghanistan, after the Chinese consortium that won it in 2008 failed to start mining. The deposit is one of the largest in the world.",
      "Officials in Kabul said bidders would have to build a power plant and a railway.",
      "Archaeologists' fears",
      "The site also holds the remains of a Buddhist city. Archaeologists have asked that excavations be allowed to finish before mining starts.",
      countries="AF"),
)

# -- Author pages: who the author is, then their stories ------------------------------------
AUTHORS: tuple[tuple[str, str], ...] = (
    ("Aigerim Sadykova",
     "Aigerim Sadykova is a journalist based in Almaty who writes about energy, agriculture and the environment in Kazakhstan. She has reported from all five countries of Central Asia."),
    ("Timur Rakhimov",
     "Timur Rakhimov covers politics and the economy of Uzbekistan from Tashkent. Before joining us he worked for a business weekly."),
    ("Dilnoza Karimova",
     "Dilnoza Karimova is our correspondent in Dushanbe. She writes about migration, water and the Afghan border."),
)

# -- Lines that are not news at all -------------------------------------------------------
SPAM_LINES: tuple[str, ...] = (
    "Best Online Casino Bonuses 2014 Play Now and Win Big",
    "buy cheap essay writing service online best price",
    "Replica Watches Cheap Swiss Quality | Free Shipping www.example-watches.test",
    "Кредит без справок онлайн за 5 минут",
    "Payday Loans Same Day Approval No Credit Check",
)

TEASERS: tuple[str, ...] = (
    "Sign up for our newsletter and receive the week's most important stories from the region every Friday.",
    "The Times of the Steppe is an independent publication; our reporters work in every capital of the region.",
    "Our reporters answer readers' questions about visas, customs and travel every Tuesday.",
    "Support independent journalism in Central Asia: become a member today.",
)
# fmt: on
