"""Words that make titles, offices and honorifics: what is split off a person's name.

Hand-written for Broadsheet (MIT). :data:`HONORIFICS` never belong to a role ("Mr");
:data:`HEADS` are offices by themselves ("President", "minister"); :data:`MODIFIERS`
qualify an office ("Foreign", "Deputy", "Defence"). All are compared case-insensitively,
with any trailing dot removed.
"""

from __future__ import annotations

_HONORIFICS = """
    mr mrs ms miss mx dr prof sir dame lord lady madam mme mlle monsieur herr frau sr sra
    rev reverend fr father brother sister st messrs
    """

_HEADS = """
    president vice-president premier minister ministers secretary chancellor governor senator
    sen rep representative congressman congresswoman congressmen mp mep lawmaker legislator
    general gen lieutenant lt colonel col major maj captain capt commander cmdr admiral adm
    sergeant sgt corporal private marshal brigadier commodore
    king queen prince princess emperor empress pope cardinal archbishop bishop imam ayatollah
    rabbi pastor sheikh emir sultan shah crown duke duchess earl baron baroness count countess
    ambassador envoy consul diplomat spokesman spokeswoman spokesperson chairman chairwoman
    chairperson chair chief executive ceo cfo coo director head leader mayor judge justice
    magistrate prosecutor attorney attorney-general counsel commissioner inspector officer
    superintendent constable detective sheriff coach manager striker midfielder defender
    goalkeeper skipper captain batsman bowler champion coordinator adviser advisor aide
    economist analyst strategist president-elect speaker whip delegate negotiator mediator
    governor-general secretary-general director-general treasurer trustee founder co-founder
    owner publisher editor correspondent professor lecturer dean rector chancellor principal
    presenter anchor actor actress singer rapper author novelist poet artist pundit
    commentator journalist reporter columnist boss chief star veteran winner finalist
    holder runner-up medallist medalist
    dj mc comedian comedienne tycoon entrepreneur businessman businesswoman host critic
    organiser organizer expert associate lawyer solicitor barrister blogger weblogger sprinter
    athlete footballer cricketer player musician guitarist drummer bassist vocalist frontman
    frontwoman broadcaster producer designer writer playwright composer conductor chef
    campaigner activist dissident lord baroness peer candidate nominee agent comic
    son daughter wife husband mother widow widower partner
    """

_MODIFIERS = """
    vice deputy acting interim former ex- ex co co- late shadow first second prime foreign
    defence
    defense finance
    interior home trade economy economic justice health education energy environment
    agriculture transport labour labor culture information communications industry
    treasury state foreign-affairs affairs security intelligence national federal
    regional provincial local senior junior chief general principal lead managing
    executive opposition party union team club head assistant associate special top
    supreme high presidential royal army navy naval air force police military armed
    u.s. us uk u.k. eu un nato white house republican democratic democrat labour
    conservative liberal socialist communist nationalist independent majority minority
    senate house parliamentary parliament cabinet government city county district
    attorney solicitor court circuit appeals public press media communications
    """

HONORIFICS = frozenset(_HONORIFICS.split())
HEADS = frozenset(_HEADS.split())
MODIFIERS = frozenset(_MODIFIERS.split())

#: Nouns that name only people (an occupation, a sport, a part someone plays), beside the
#: offices of :data:`HEADS`: "pole vaulter Yelena Isinbayeva", "rapper Nelly". Words that
#: also name firms or things ("producer", "publisher", "developer", "leader", "partner",
#: "champion", "winner", "owner", "holder", "rival") are not here.
_PERSON_NOUNS = """
    vaulter hurdler jumper thrower swimmer cyclist rider jockey trainer boxer golfer skater
    skier runner marathoner sprinter wrestler fighter batsman bowler spinner wicketkeeper
    keeper goalkeeper winger forward fly-half scrum-half flanker hooker full-back prop
    wing centre center lock
    centre-back quarterback pitcher umpire referee midfielder striker defender skipper
    dancer ballerina choreographer painter sculptor photographer film-maker filmmaker
    screenwriter scriptwriter songwriter lyricist pianist violinist cellist saxophonist
    keyboardist guitarist drummer bassist vocalist singer-songwriter crooner diva icon
    supermodel celebrity newsreader anchorman anchorwoman entertainer impresario publicist
    banker financier investor broker stockbroker accountant auditor consultant industrialist
    magnate mogul billionaire millionaire politician backbencher frontbencher councillor
    alderman campaigner lobbyist bureaucrat prosecutor defendant plaintiff juror
    scientist researcher academic physician surgeon nurse psychologist psychiatrist
    historian biographer engineer architect hacker blogger weblogger priest vicar chaplain
    monk nun farmer headteacher headmaster headmistress pupil teenager schoolboy schoolgirl
    soldier pilot astronaut novelist playwright poet rapper comedian comedienne presenter
    broadcaster journalist reporter columnist commentator pundit actor actress singer
    lawyer solicitor barrister attorney economist analyst strategist entrepreneur tycoon
    businessman businesswoman spokesman spokeswoman spokesperson chairman chairwoman
    director dj mc editor correspondent critic author founder co-founder boss adviser
    advisor aide activist dissident veteran star uncle aunt cousin nephew niece grandson
    granddaughter grandfather grandmother fiancee fiancée fiance fiancé girlfriend boyfriend
    killer murderer jeweller jeweler creator inventor hostage captive detainee stalwart
    legend hero ace prodigy starlet maestro supremo tsar czar guru programmer coder scorer
    goalscorer assistant
    """
PERSON_NOUNS = frozenset(_PERSON_NOUNS.split())


def is_person_noun(word: str) -> bool:
    """A noun that names only a person ("vaulter", "rapper", "chief executive"'s
    "executive" aside), also in the plural."""
    w = norm(word)
    return w in PERSON_NOUNS or (len(w) > 3 and w.endswith("s") and w[:-1] in PERSON_NOUNS)


#: Titles that, before a single word, surely make it a person's name ("President Biden");
#: others ("General Election", "National Executive Committee") need more than one word.
_SURE = """
    president premier minister secretary chancellor governor senator sen rep representative
    congressman congresswoman mp mep king queen prince princess emperor pope cardinal
    archbishop bishop imam ayatollah rabbi sheikh emir sultan ambassador spokesman
    spokeswoman chairman chairwoman mayor lieutenant colonel col lt gen capt cmdr adm sgt
    president-elect vice-president
"""
SURE_TITLES = frozenset(_SURE.split()) | HONORIFICS

#: Words that join the parts of a title: "Secretary *of* State", "Minister *for* Europe".
JOINERS = frozenset({"of", "for", "and", "the", "on", "to", "&"})


#: Capitalised words of tables and scorecards the model takes for names.
_NOT_NAMES = """
    attendance extras scorer scorers total totals avg average result results standings
    division note notes death deaths injured referee venue pts points played won lost drawn
    goals half-time halftime fulltime innings overs wickets bowling batting fall
    oscar oscars grammy grammys bafta baftas emmy emmys labour tory tories lib dem dems
    conservative conservatives democrat democrats republican republicans
"""
NOT_NAMES = frozenset(_NOT_NAMES.split())


#: Last words of a sports club's name: "Manchester United", "Bristol City".
_CLUB_WORDS = """
    united city rovers athletic wanderers albion county villa rangers fc afc hotspur
    argyle alexion orient forest wednesday
"""
CLUB_WORDS = frozenset(_CLUB_WORDS.split())


def is_not_a_name(word: str) -> bool:
    return norm(word) in NOT_NAMES


def norm(word: str) -> str:
    """How a word is looked up in these lists."""
    return word.lower().rstrip(".")


def is_honorific(word: str) -> bool:
    return norm(word) in HONORIFICS


def is_title_word(word: str) -> bool:
    """A word that can stand in a title before a name (honorifics excluded)."""
    w = norm(word)
    return w in MODIFIERS or is_head(w)


def is_sure_title(word: str) -> bool:
    return norm(word) in SURE_TITLES


def is_head(word: str) -> bool:
    """An office or occupation, also in the plural ("tycoons", "ministers")."""
    w = norm(word)
    return w in HEADS or (len(w) > 3 and w.endswith("s") and w[:-1] in HEADS)
