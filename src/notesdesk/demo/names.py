"""Invented people for the demo practice: names from many cultures, combined at random.

Given and family names are common ones, paired by chance, so no combination describes a real
person. Accents and letters outside Latin-1 (Ł, ş, ơ, ő, ř, Ș...) are on purpose: they exercise
sorting, search folding, PDF fonts and the CLI's name prefixes.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

# culture -> (women's given names, men's given names, family names)
CULTURES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "irish": (
        ("Siobhán", "Aoife", "Niamh", "Órla", "Caoimhe", "Sadhbh"),
        ("Ciarán", "Pádraig", "Seán", "Oisín", "Tadhg", "Eoin"),
        ("Ó Briain", "Mac Giolla", "Ó Súilleabháin", "Breathnach", "Ó Ceallaigh", "Mac Cárthaigh"),
    ),
    "polish": (
        ("Małgorzata", "Agnieszka", "Żaneta", "Bożena", "Aleksandra", "Jadwiga"),
        ("Łukasz", "Krzysztof", "Paweł", "Wojciech", "Grzegorz", "Józef"),
        ("Nowak", "Wróbel", "Zając", "Łuczak", "Kaczmarek", "Wójcik"),
    ),
    "nigerian": (
        ("Ngozi", "Chidinma", "Adaeze", "Yewande", "Folasade", "Ifeoma"),
        ("Chukwuemeka", "Tunde", "Obinna", "Olúwadámiláre", "Ikenna", "Babajide"),
        ("Okafor", "Adeyemi", "Nwosu", "Eze", "Adebayo", "Ogunleye"),
    ),
    "vietnamese": (
        ("Thảo", "Huệ", "Ngọc Anh", "Phương", "Lan", "Mỹ Linh"),
        ("Dương", "Quốc Bảo", "Tuấn", "Minh Đức", "Hùng", "Khoa"),
        ("Nguyễn", "Trần", "Phạm", "Đặng", "Võ", "Huỳnh"),
    ),
    "turkish": (
        ("Ayşe", "Gülşen", "Şebnem", "Elif", "Dilara", "Öykü"),
        ("Oğuz", "Çağlar", "Emre", "Kerem", "Barış", "İlker"),
        ("Yılmaz", "Öztürk", "Şahin", "Çelik", "Aydın", "Doğan"),
    ),
    "nordic": (
        ("Åsa", "Ingrid", "Sigrún", "Maja", "Solveig", "Liv"),
        ("Søren", "Håkon", "Bjørn", "Ólafur", "Jens", "Anders"),
        ("Jørgensen", "Søndergaard", "Lindqvist", "Åberg", "Halvorsen", "Sæther"),
    ),
    "french": (
        ("Chloé", "Noémie", "Anaïs", "Maëlle", "Hélène", "Renée"),
        ("Loïc", "Jérôme", "Benoît", "François", "Thibault", "Gaël"),
        ("Lefèvre", "Bérubé", "Gauthier", "Lemaître", "Béland", "Dubœuf"),
    ),
    "iberian": (
        ("Lucía", "Begoña", "Inês", "Conceição", "Amaia", "Mónica"),
        ("Joaquín", "Iñaki", "Gonçalo", "João", "Andrés", "Raúl"),
        ("Muñoz", "Ibáñez", "Núñez", "Gonçalves", "Simões", "Araújo"),
    ),
    "central_europe": (
        ("Zsófia", "Réka", "Kateřina", "Zuzana", "Ștefania", "Mihaela"),
        ("Gergő", "Zoltán", "Ondřej", "Matěj", "Mihai", "Bogdan"),
        ("Szabó", "Kovács", "Dvořák", "Horváth", "Țurcanu", "Ionescu"),
    ),
    "balkan": (
        ("Milica", "Jelena", "Dragana", "Ljiljana", "Ivana", "Snežana"),
        ("Đorđe", "Miloš", "Dušan", "Nikola", "Stevan", "Goran"),
        ("Jovanović", "Đurić", "Kovačević", "Babić", "Petrović", "Marković"),
    ),
    "germanic": (
        ("Zoë", "Jördis", "Anneliese", "Käthe", "Greta", "Hanna"),
        ("Jürgen", "Lars", "Matthias", "Björn", "Tobias", "Jörg"),
        ("Müller", "Schröder", "Weiß", "Köhler", "Groß", "Fuchs"),
    ),
    "east_african": (
        ("Wanjiru", "Tsion", "Selam", "Hiwot", "Njeri", "Achieng"),
        ("Tendai", "Omondi", "Dawit", "Mugo", "Yonas", "Baraka"),
        ("Mwangi", "Bekele", "Tesfaye", "Otieno", "Kamau", "Haile"),
    ),
    "west_african": (
        ("Akosua", "Ama", "Efua", "Abena", "Adjoa", "Esi"),
        ("Kwame", "Kofi", "Yaw", "Kwabena", "Kojo", "Fiifi"),
        ("Mensah", "Asante", "Owusu", "Boateng", "Agyeman", "Ofori"),
    ),
    "south_asian": (
        ("Priya", "Ananya", "Kavya", "Meenakshi", "Sunita", "Aarohi"),
        ("Rohan", "Arjun", "Vikram", "Siddharth", "Aniruddh", "Kiran"),
        ("Iyer", "Chatterjee", "Reddy", "Nair", "Kulkarni", "Desai"),
    ),
    "arabic": (
        ("Nour", "Leila", "Yasmin", "Hafsa", "Rania", "Salma"),
        ("Karim", "Youssef", "Tariq", "Bilal", "Samir", "Hamza"),
        ("Haddad", "Khoury", "Mansour", "Nassar", "Al-Sayed", "Saleh"),
    ),
    "east_asian": (
        ("Yūko", "Aiko", "Seo-yeon", "Min-ji", "Xiùlán", "Mei"),
        ("Kenji", "Takumi", "Jun-ho", "Min-jun", "Wei", "Jiànguó"),
        ("Tanaka", "Satō", "Itō", "Park", "Jeong", "Chén"),
    ),
    "pacific": (
        ("Mereana", "Aroha", "Leilani", "Hine", "Moana", "Anahera"),
        ("Wiremu", "Tāne", "Hēmi", "Keoni", "Rāwiri", "Manaia"),
        ("Te Rangi", "Parata", "Ngata", "Kahananui", "Keawe", "Te Whata"),
    ),
    "latin_american": (
        ("Ximena", "Itzel", "Nayeli", "Guadalupe", "Sofía", "Ángela"),
        ("Mateo", "Santiago", "Julián", "Ramón", "Efraín", "Germán"),
        ("Quispe", "Mamani", "Huamán", "Peña", "Villalobos", "Gutiérrez"),
    ),
}

NEUTRAL_GIVEN = ("Alex", "Sam", "Kai", "Noa", "Ren", "Robin", "Sasha", "Oluwaseun", "Ariel", "Eliás")

NICKNAMES = {
    "Małgorzata": "Gosia",
    "Aleksandra": "Ola",
    "Krzysztof": "Krzyś",
    "Chukwuemeka": "Emeka",
    "Olúwadámiláre": "Dámi",
    "Oluwaseun": "Seun",
    "Babajide": "Jide",
    "Guadalupe": "Lupita",
    "Meenakshi": "Meena",
    "Siddharth": "Sid",
    "Anneliese": "Liese",
    "Ngọc Anh": "Anh",
}

PRONOUNS = {
    "she/her": ("she", "her", "her", "was"),
    "he/him": ("he", "him", "his", "was"),
    "they/them": ("they", "them", "their", "were"),
    "she/they": ("she", "her", "her", "was"),
    "he/they": ("he", "him", "his", "was"),
}

STREETS = (
    "Linden Row", "Quay Street", "Harbour Lane", "Birch Avenue", "Mill Road", "Orchard Close",
    "Chapel Walk", "Station Parade", "Kiln Yard", "Rowan Crescent", "Ferry Road", "Tannery Lane",
)

# relation -> the gender it implies ("" for neutral): a contact's name must agree with it
RELATION_GENDER = {
    "partner": "", "sister": "f", "brother": "m", "mother": "f", "father": "m", "friend": "",
    "husband": "m", "wife": "f", "aunt": "f", "sibling": "", "cousin": "", "uncle": "m",
    "grandmother": "f", "grandfather": "m",
}
RELATIONS = ("partner", "sister", "brother", "mother", "father", "friend", "husband", "wife", "aunt",
             "sibling", "cousin", "uncle")  # an adult's contacts

_ASCII = str.maketrans(
    {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ı": "i", "ß": "ss", "æ": "ae",
     "œ": "oe", "ð": "d", "þ": "th"}
)


@dataclass(frozen=True)
class Person:
    given: str
    family: str
    pronouns: str
    culture: str
    gender: str = ""  # "f", "m" or "n": which list the given name came from

    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"

    @property
    def words(self) -> dict[str, str]:
        """Placeholders for phrase templates: written in the past tense, so only 'was' agrees."""
        they, them, their, was = PRONOUNS[self.pronouns]
        return {
            "name": self.given,
            "they": they,
            "They": they.capitalize(),
            "them": them,
            "their": their,
            "Their": their.capitalize(),
            "was": was,
        }


def ascii_slug(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII).casefold())
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch if ch.isalnum() else "." for ch in kept).strip(".").replace("..", ".")


def _pronouns_for(kind: str, rng: random.Random) -> str:
    roll = rng.random()
    if kind == "f":
        return "she/her" if roll < 0.88 else ("she/they" if roll < 0.94 else "they/them")
    if kind == "m":
        return "he/him" if roll < 0.88 else ("he/they" if roll < 0.94 else "they/them")
    return "they/them" if roll < 0.6 else rng.choice(("she/her", "he/him"))


def invent_people(count: int, rng: random.Random) -> list[Person]:
    """`count` distinct invented people; most keep one culture's naming, some mix (as families do)."""
    cultures = sorted(CULTURES)
    seen: set[str] = set()
    used_families: set[str] = set()
    people: list[Person] = []
    tries = 0
    while len(people) < count:
        tries += 1
        culture = rng.choice(cultures)
        women, men, _families = CULTURES[culture]
        roll = rng.random()
        if roll < 0.46:
            kind, given = "f", rng.choice(women)
        elif roll < 0.92:
            kind, given = "m", rng.choice(men)
        else:
            kind, given = "n", rng.choice(NEUTRAL_GIVEN)
        family_from = culture if rng.random() < 0.7 else rng.choice(cultures)
        family = rng.choice(CULTURES[family_from][2])
        if family in used_families and tries % 4:  # few shared surnames: they read as relatives
            continue
        person = Person(given, family, _pronouns_for(kind, rng), culture, kind)
        if person.name in seen:
            if len(seen) < 4000:
                continue
            person = Person(f"{given} {chr(65 + rng.randrange(26))}.", family, person.pronouns, culture,
                            kind)
        seen.add(person.name)
        used_families.add(family)
        people.append(person)
    return people


def contact_person(rng: random.Random, gender: str = "") -> str:
    """A name for a relative, friend or colleague in contact lists; gender "f" or "m" picks from the
    women's or men's given names, "" from either."""
    women, men, families = CULTURES[rng.choice(sorted(CULTURES))]
    given = {"f": women, "m": men}.get(gender, women + men)
    return f"{rng.choice(given)} {rng.choice(families)}"


def relative(relation: str, rng: random.Random) -> str:
    """A contact whose name agrees with the relation: a sister is a woman, a brother a man."""
    return contact_person(rng, RELATION_GENDER[relation])


def given_gender(full_name: str) -> str:
    """"f" or "m" when the name starts with a given name from only one of the lists, else ""."""
    found = {
        kind
        for women, men, _ in CULTURES.values()
        for kind, names in (("f", women), ("m", men))
        for given in names
        if full_name.startswith(given + " ")
    }
    return found.pop() if len(found) == 1 else ""


def phone(rng: random.Random) -> str:
    """Numbers in the 555-01xx range, reserved for fiction."""
    return f"({rng.randrange(201, 990)}) 555-01{rng.randrange(100):02d}"


def address(rng: random.Random) -> str:
    flat = f", Apt {rng.randrange(1, 40)}" if rng.random() < 0.3 else ""
    return f"{rng.randrange(1, 220)} {rng.choice(STREETS)}{flat}"


def email(person: Person, rng: random.Random) -> str:
    style = rng.randrange(3)
    given, family = ascii_slug(person.given), ascii_slug(person.family)
    local = (f"{given}.{family}", f"{given[0]}{family}", f"{given}{rng.randrange(10, 99)}")[style]
    return f"{local}@example.org"
