"""Given names, family names and nationalities by family background, for generated personal data.

The names are common ones in each community in Flanders, in the Latin spelling Belgian registers
use. They only make the demo look real to a broker; they are never used for anything else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NameSet:
    """Names and nationalities (ISO 3166 alpha-2, with shares) of one family background."""

    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...]
    nationalities: tuple[tuple[str, float], ...]


#: Keys are the language a family background is drawn by (see ``shares``): a newcomer's mother
#: tongue, or a settled person's family language ("nl" for Flemish families).
NAMES: dict[str, NameSet] = {
    "nl": NameSet(
        female=(
            "Emma",
            "Louise",
            "Marie",
            "Lotte",
            "Elise",
            "Julie",
            "Sarah",
            "Laura",
            "Lien",
            "Anke",
            "Sofie",
            "Katrien",
            "Els",
            "An",
            "Nathalie",
            "Ine",
            "Hanne",
            "Fien",
            "Nele",
            "Griet",
        ),
        male=(
            "Lucas",
            "Arthur",
            "Noah",
            "Louis",
            "Jules",
            "Wout",
            "Pieter",
            "Jan",
            "Tom",
            "Bart",
            "Kevin",
            "Stijn",
            "Koen",
            "Joris",
            "Dries",
            "Thomas",
            "Sander",
            "Jens",
            "Tibo",
            "Wim",
        ),
        family=(
            "Peeters",
            "Janssens",
            "Maes",
            "Jacobs",
            "Mertens",
            "Willems",
            "Claes",
            "Goossens",
            "Wouters",
            "De Smet",
            "Vermeulen",
            "Van den Broeck",
            "Hermans",
            "Aerts",
            "Dubois",
            "Pauwels",
            "Van Damme",
            "De Clercq",
            "Declercq",
            "Vandenberghe",
            "Verstraete",
            "Desmet",
            "Lambrecht",
            "Michiels",
            "Van de Velde",
            "Martens",
            "Coppens",
            "De Backer",
        ),
        nationalities=(("BE", 0.97), ("NL", 0.03)),
    ),
    "ar": NameSet(
        female=("Fatima", "Amina", "Nour", "Yasmina", "Salma", "Hiba", "Rania", "Layla", "Imane", "Sara"),
        male=("Mohamed", "Ahmed", "Youssef", "Omar", "Bilal", "Karim", "Hamza", "Mustafa", "Ayoub", "Ali"),
        family=(
            "El Amrani",
            "Benali",
            "El Idrissi",
            "Bouzid",
            "Al Hassan",
            "Haddad",
            "Khalil",
            "Mansour",
            "Darwish",
            "El Khatib",
            "Azzouzi",
            "Nasser",
        ),
        nationalities=(("SY", 0.45), ("MA", 0.25), ("IQ", 0.20), ("PS", 0.10)),
    ),
    "tr": NameSet(
        female=("Elif", "Zeynep", "Merve", "Esra", "Büşra", "Ayşe", "Derya", "Selin"),
        male=("Emre", "Mehmet", "Burak", "Murat", "Kaan", "Yusuf", "Serkan", "Hakan"),
        family=("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan"),
        nationalities=(("TR", 1.0),),
    ),
    "ti": NameSet(
        female=("Senait", "Helen", "Yohana", "Selam", "Mebrat", "Saba", "Rahwa", "Luwam"),
        male=("Yonas", "Daniel", "Tesfay", "Filmon", "Mehari", "Biniam", "Samuel", "Habtom"),
        family=("Tesfamariam", "Gebremedhin", "Haile", "Kidane", "Berhane", "Tekle", "Ghebreyesus", "Woldu"),
        nationalities=(("ER", 1.0),),
    ),
    "uk": NameSet(
        female=("Olena", "Iryna", "Oksana", "Natalia", "Yulia", "Kateryna", "Tetiana", "Anastasiia"),
        male=("Oleksandr", "Andrii", "Serhii", "Dmytro", "Volodymyr", "Mykola", "Ivan", "Yurii"),
        family=(
            "Shevchenko",
            "Kovalenko",
            "Bondarenko",
            "Tkachenko",
            "Kravchenko",
            "Melnyk",
            "Boiko",
            "Koval",
            "Oliinyk",
            "Moroz",
        ),
        nationalities=(("UA", 1.0),),
    ),
    "ps": NameSet(
        female=("Mariam", "Zarmina", "Nazanin", "Shabana", "Parwana", "Malalai"),
        male=("Ahmad", "Abdullah", "Mohammad", "Habibullah", "Noorullah", "Rahmatullah", "Zabihullah"),
        family=("Ahmadzai", "Popal", "Stanikzai", "Safi", "Mohammadi", "Karimi", "Sultani", "Noori"),
        nationalities=(("AF", 1.0),),
    ),
    "fa": NameSet(
        female=("Zahra", "Fatemeh", "Maryam", "Shirin", "Parisa", "Soraya"),
        male=("Reza", "Ali", "Hossein", "Mehdi", "Amir", "Farid", "Javad"),
        family=("Hosseini", "Rezaei", "Mohammadi", "Ahmadi", "Jafari", "Rahimi", "Hashemi", "Akbari"),
        nationalities=(("AF", 0.6), ("IR", 0.4)),
    ),
    "ro": NameSet(
        female=("Ioana", "Andreea", "Elena", "Maria", "Alexandra", "Mihaela", "Cristina"),
        male=("Andrei", "Alexandru", "Ionuț", "Mihai", "Florin", "Gabriel", "Cristian"),
        family=("Popescu", "Ionescu", "Popa", "Dumitru", "Stan", "Stoica", "Gheorghe", "Rusu"),
        nationalities=(("RO", 1.0),),
    ),
    "pl": NameSet(
        female=("Anna", "Katarzyna", "Agnieszka", "Magdalena", "Joanna", "Monika", "Ewa"),
        male=("Piotr", "Krzysztof", "Tomasz", "Paweł", "Marcin", "Łukasz", "Michał"),
        family=("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński"),
        nationalities=(("PL", 1.0),),
    ),
    "fr": NameSet(
        female=("Grâce", "Esther", "Divine", "Aminata", "Mariama", "Christelle", "Nadège", "Fatoumata"),
        male=("Patrick", "Jean-Claude", "Mamadou", "Ibrahima", "Christian", "Serge", "Alpha", "Junior"),
        family=("Mukendi", "Kabongo", "Ilunga", "Tshibangu", "Diallo", "Bah", "Barry", "Ngono", "Kalala", "Mbuyi"),
        nationalities=(("CD", 0.5), ("GN", 0.3), ("CM", 0.2)),
    ),
    "en": NameSet(
        female=("Blessing", "Chioma", "Abena", "Grace", "Priya", "Ngozi", "Akosua", "Deepa"),
        male=("Chinedu", "Emeka", "Kwame", "Kofi", "Rahul", "Tunde", "Samuel", "Arjun"),
        family=("Okafor", "Adeyemi", "Mensah", "Boateng", "Sharma", "Okonkwo", "Asante", "Patel", "Eze"),
        nationalities=(("NG", 0.5), ("GH", 0.3), ("IN", 0.2)),
    ),
    "so": NameSet(
        female=("Hodan", "Fadumo", "Ayan", "Hibo", "Sahra", "Khadija"),
        male=("Abdirahman", "Abdi", "Mohamed", "Ahmed", "Hassan", "Liban"),
        family=("Abdi", "Mohamud", "Warsame", "Hassan", "Farah", "Osman", "Jama", "Ali"),
        nationalities=(("SO", 1.0),),
    ),
    "es": NameSet(
        female=("María", "Valentina", "Camila", "Daniela", "Lucía", "Gabriela"),
        male=("José", "Luis", "Carlos", "Andrés", "Diego", "Javier"),
        family=("García", "Rodríguez", "Martínez", "González", "Pérez", "Hernández", "Ramírez", "Torres"),
        nationalities=(("VE", 0.4), ("CO", 0.4), ("ES", 0.2)),
    ),
}

#: Nationality of settled people whose family language is not Dutch: mostly Belgian.
SETTLED_NATIONALITIES: dict[str, tuple[tuple[str, float], ...]] = {
    "ar": (("BE", 0.8), ("MA", 0.2)),
    "tr": (("BE", 0.8), ("TR", 0.2)),
    "pl": (("PL", 0.6), ("BE", 0.4)),
    "ro": (("RO", 0.6), ("BE", 0.4)),
}

EMAIL_DOMAINS = ("gmail.com", "hotmail.com", "outlook.com", "telenet.be", "skynet.be", "proximus.be")
