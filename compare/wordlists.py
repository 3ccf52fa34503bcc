"""Word lists the speaker stages share (quotes.py's cue rules and speakers.py's candidates).

Each list says where it came from; change one here and both stages move together.
"""

from __future__ import annotations

# Reporting verbs that introduce or follow a quotation, as news copy uses them; grown from the
# cue spans of PolNeAR's train split and the founding story's coverage ("the email stated").
CUE_VERBS = (r"said|says|added|adds|stated|states|wrote|writes|told|tells|warned|warns|explained|"
             r"explains|reads|read|continued|continues|insisted|insists|argued|argues|claimed|claims|"
             r"noted|notes|asked|asks|declared|remarked|replied|urged|concluded|admitted|recalled|recalls|"
             r"observed|commented|shouted|yelled|yells|tweeted|posted|announced|acknowledged|suggested|"
             r"predicted|responded|testified|joked|quipped|conceded|cautioned|likened|boasted|complained|"
             r"whispered|cried|screamed|exclaimed|mused|countered|agreed")

# Things that speak without a person: "the email stated", "a statement read". The founding
# story's speaker is a leaked email; PolNeAR's include statements, tweets and reports.
DOCUMENT_NOUNS = r"email|e-mail|memo|missive|letter|statement|guidance|note|report|document|message|post|tweet|notice"

# Titles printed before a name ("Mr. Trump", "Sen. Sanders"): part of the name, not a word of their own.
NAME_TITLES = r"Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof|Lt|Col|Sgt|Capt|Rev|President|Senator|Secretary|Governor|Judge"

# Capitalised words that open a sentence or name a time, never a speaker on their own
# ("The", "But", "On Friday"); the commonest capitalised non-names of PolNeAR's train split.
NOT_NAMES = frozenset("""the a an and but or so if in on at of to for by with from as after before when while
that this these those there then thus yet still also however meanwhile instead earlier later last next
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december today tonight yesterday tomorrow asked speaking according
what why how who where which one some many most all both each every other another such no not
said says told added wrote out up down off""".split())

# Before a mention, these make it an object rather than the speaker ("a letter to Clinton").
PREPOSITIONS = r"of|to|for|with|about|against|at|from|in|on|into|over|under|than|like|toward|towards|between|among"

# Descriptions that stand for a person named earlier ("the minister told reporters" after
# "Immigration minister Robert Goodwill"), and for an organisation ("the department said"
# after "the Home Office"): speakers.py resolves them to the nearest compatible name.
PERSON_ROLES = frozenset("""minister spokesman spokeswoman spokesperson senator governor president secretary
chair chairman chairwoman official mayor candidate lawyer attorney director chief leader congressman
congresswoman representative judge commissioner ambassador adviser advisor aide officer executive founder
professor economist analyst nominee strategist pollster manager""".split())
ORG_ROLES = frozenset("""department ministry office agency committee council campaign party commission authority
company firm government administration bureau union organisation organization group board""".split())
# Government bodies a description may call "the department" whatever their own name's last word.
GOVERNMENT_BODIES = frozenset({"department", "ministry", "office"})
