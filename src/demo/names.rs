//! Data tables for demo people: given and family names grouped by naming culture (so a name
//! reads as one person's), and research institutions with their email domains.
//!
//! Pure data; the choosing happens in `content.rs`.

/// Given names and family names that belong together.
pub struct NameCulture {
    /// Given names.
    pub given: &'static [&'static str],
    /// Family names.
    pub family: &'static [&'static str],
}

/// Naming cultures, many with letters outside ASCII (and some outside Latin-1).
pub const CULTURES: &[NameCulture] = &[
    NameCulture {
        given: &[
            "Wei", "Xiaoyu", "Jiahao", "Yuxin", "Zhiyuan", "Mengqi", "Haoran", "Ruiqi", "Lingfeng",
            "Shuang",
        ],
        family: &[
            "Zhang", "Liu", "Huang", "Zhou", "Xu", "Sun", "Guo", "Luo", "Tang", "Deng",
        ],
    },
    NameCulture {
        given: &[
            "Thảo", "Minh", "Ngọc", "Quang", "Hương", "Tuấn", "Linh", "Đức",
        ],
        family: &["Nguyễn", "Trần", "Phạm", "Lê", "Hoàng", "Võ", "Đặng", "Bùi"],
    },
    NameCulture {
        given: &[
            "Aarav",
            "Priya",
            "Ananya",
            "Rohan",
            "Kavya",
            "Siddharth",
            "Meera",
            "Vikram",
        ],
        family: &[
            "Sharma",
            "Iyer",
            "Reddy",
            "Banerjee",
            "Krishnan",
            "Mehta",
            "Chatterjee",
            "Nair",
        ],
    },
    NameCulture {
        given: &[
            "Ji-woo",
            "Min-jun",
            "Seo-yeon",
            "Hyun-woo",
            "Ye-jin",
            "Dong-hyun",
        ],
        family: &["Kim", "Park", "Choi", "Jeong", "Kang", "Yoon"],
    },
    NameCulture {
        given: &[
            "Haruto", "Yui", "Sota", "Aoi", "Ren", "Sakura", "Kenji", "Emi",
        ],
        family: &[
            "Takahashi",
            "Tanaka",
            "Watanabe",
            "Yamamoto",
            "Nakamura",
            "Kobayashi",
            "Saitō",
            "Ōno",
        ],
    },
    NameCulture {
        given: &[
            "Jürgen",
            "Lena",
            "Maximilian",
            "Anneliese",
            "Tobias",
            "Katharina",
            "Lukas",
            "Jörg",
        ],
        family: &[
            "Müller",
            "Schröder",
            "Weiß",
            "Hoffmann",
            "Köhler",
            "Becker",
            "Wagner",
            "Krüger",
        ],
    },
    NameCulture {
        given: &[
            "Zoë",
            "François",
            "Hélène",
            "Rémi",
            "Clémence",
            "Aurélien",
            "Chloé",
            "Gaël",
        ],
        family: &[
            "Lefèvre", "Dubois", "Moreau", "Rousseau", "Girard", "Bézier", "Mercier", "Faure",
        ],
    },
    NameCulture {
        given: &[
            "Łukasz",
            "Małgorzata",
            "Paweł",
            "Zofia",
            "Wojciech",
            "Agnieszka",
            "Michał",
        ],
        family: &[
            "Wójcik",
            "Kowalczyk",
            "Zieliński",
            "Szymańska",
            "Nowak",
            "Dąbrowski",
            "Lewandowska",
        ],
    },
    NameCulture {
        given: &[
            "José",
            "Lucía",
            "Alejandro",
            "María",
            "Andrés",
            "Sofía",
            "Joaquín",
            "Inés",
        ],
        family: &[
            "Sánchez",
            "García",
            "Ramírez",
            "Peña",
            "Fernández",
            "Ibáñez",
            "Domínguez",
            "Ortega",
        ],
    },
    NameCulture {
        given: &["João", "Beatriz", "Gonçalo", "Mariana", "Tomás", "Letícia"],
        family: &[
            "Gonçalves",
            "Araújo",
            "Ribeiro",
            "Conceição",
            "Magalhães",
            "Pereira",
        ],
    },
    NameCulture {
        given: &[
            "Björn",
            "Åsa",
            "Søren",
            "Ingrid",
            "Øyvind",
            "Sigríður",
            "Ólafur",
            "Freja",
        ],
        family: &[
            "Lindqvist",
            "Sørensen",
            "Håkansson",
            "Ström",
            "Jónsdóttir",
            "Bergström",
            "Østergaard",
        ],
    },
    NameCulture {
        given: &["Çağla", "Emre", "Zeynep", "Barış", "Elif", "Oğuz"],
        family: &["Yılmaz", "Şahin", "Öztürk", "Çelik", "Aydın", "Ağaoğlu"],
    },
    NameCulture {
        given: &[
            "Chinonso",
            "Adaeze",
            "Oluwaseun",
            "Kwame",
            "Abena",
            "Tendai",
            "Amara",
        ],
        family: &[
            "Okonkwo", "Adeyemi", "Mensah", "Boateng", "Chukwu", "Moyo", "Okafor",
        ],
    },
    NameCulture {
        given: &["Layla", "Omar", "Yasmin", "Karim", "Nour", "Tariq"],
        family: &["Haddad", "Al-Masri", "Nasser", "Khoury", "El-Amin", "Saleh"],
    },
    NameCulture {
        given: &["Dariush", "Shirin", "Arash", "Parisa", "Kian"],
        family: &["Rahimi", "Moradi", "Tehrani", "Karimi", "Farahani"],
    },
    NameCulture {
        given: &[
            "Giulia",
            "Matteo",
            "Chiara",
            "Niccolò",
            "Francesca",
            "Lorenzo",
        ],
        family: &[
            "Bianchi", "Esposito", "Ferrara", "Colombo", "De Luca", "Mancini",
        ],
    },
    NameCulture {
        given: &["Dimitra", "Nikos", "Eleni", "Giorgos"],
        family: &["Papadopoulos", "Oikonomou", "Georgiou", "Karagiannis"],
    },
    NameCulture {
        given: &["Jiří", "Tereza", "Ondřej", "Kateřina"],
        family: &["Dvořák", "Novotná", "Procházka", "Černý"],
    },
    NameCulture {
        given: &["Oksana", "Dmytro", "Anastasia", "Sergei", "Yelena"],
        family: &["Shevchenko", "Kovalenko", "Volkova", "Sokolov", "Petrenko"],
    },
    NameCulture {
        given: &[
            "Emily",
            "Marcus",
            "Hannah",
            "Daniel",
            "Grace",
            "Nathaniel",
            "Siobhán",
            "Eoin",
        ],
        family: &[
            "Whitaker",
            "Fitzgerald",
            "Holloway",
            "Caldwell",
            "O'Sullivan",
            "Ashworth",
            "Pemberton",
        ],
    },
    NameCulture {
        given: &["Sanne", "Daan", "Femke", "Joris"],
        family: &["van der Berg", "de Vries", "Visser", "Bakker"],
    },
    NameCulture {
        given: &["Noa", "Eitan", "Tamar", "Yonatan"],
        family: &["Cohen-Levi", "Friedman", "Mizrahi", "Ben-David"],
    },
];

/// An institution and the domain its staff's email addresses use.
pub struct Institution {
    /// Name as printed under an author.
    pub name: &'static str,
    /// Email domain.
    pub domain: &'static str,
}

/// Universities and labs where the demo authors work.
pub const INSTITUTIONS: &[Institution] = &[
    Institution {
        name: "Massachusetts Institute of Technology",
        domain: "mit.edu",
    },
    Institution {
        name: "Stanford University",
        domain: "stanford.edu",
    },
    Institution {
        name: "California Institute of Technology",
        domain: "caltech.edu",
    },
    Institution {
        name: "Brown University",
        domain: "brown.edu",
    },
    Institution {
        name: "University of Toronto",
        domain: "cs.toronto.edu",
    },
    Institution {
        name: "Mila – Quebec AI Institute",
        domain: "mila.quebec",
    },
    Institution {
        name: "University of Cambridge",
        domain: "cam.ac.uk",
    },
    Institution {
        name: "University of Oxford",
        domain: "maths.ox.ac.uk",
    },
    Institution {
        name: "Imperial College London",
        domain: "imperial.ac.uk",
    },
    Institution {
        name: "ETH Zürich",
        domain: "ethz.ch",
    },
    Institution {
        name: "EPFL",
        domain: "epfl.ch",
    },
    Institution {
        name: "Max Planck Institute for Intelligent Systems",
        domain: "tue.mpg.de",
    },
    Institution {
        name: "Technical University of Munich",
        domain: "tum.de",
    },
    Institution {
        name: "University of Tübingen",
        domain: "uni-tuebingen.de",
    },
    Institution {
        name: "Inria Paris",
        domain: "inria.fr",
    },
    Institution {
        name: "Sorbonne Université",
        domain: "sorbonne-universite.fr",
    },
    Institution {
        name: "University of Amsterdam",
        domain: "uva.nl",
    },
    Institution {
        name: "KTH Royal Institute of Technology",
        domain: "kth.se",
    },
    Institution {
        name: "University of Copenhagen",
        domain: "di.ku.dk",
    },
    Institution {
        name: "University of Warsaw",
        domain: "mimuw.edu.pl",
    },
    Institution {
        name: "Politecnico di Milano",
        domain: "polimi.it",
    },
    Institution {
        name: "Universidad Politécnica de Madrid",
        domain: "upm.es",
    },
    Institution {
        name: "Universidade de São Paulo",
        domain: "usp.br",
    },
    Institution {
        name: "Tsinghua University",
        domain: "tsinghua.edu.cn",
    },
    Institution {
        name: "Peking University",
        domain: "pku.edu.cn",
    },
    Institution {
        name: "The University of Tokyo",
        domain: "u-tokyo.ac.jp",
    },
    Institution {
        name: "KAIST",
        domain: "kaist.ac.kr",
    },
    Institution {
        name: "National University of Singapore",
        domain: "nus.edu.sg",
    },
    Institution {
        name: "Indian Institute of Science, Bangalore",
        domain: "iisc.ac.in",
    },
    Institution {
        name: "University of Cape Town",
        domain: "uct.ac.za",
    },
    Institution {
        name: "Google DeepMind",
        domain: "google.com",
    },
    Institution {
        name: "Microsoft Research AI for Science",
        domain: "microsoft.com",
    },
    Institution {
        name: "NVIDIA Research",
        domain: "nvidia.com",
    },
];
