"""French comments for the demo answers, grouped by question and by theme.

Written in the spirit of the quotes of « Être RUPN en 2024 » (many are the
report's own words, others paraphrase them), so that the themes of the report
can be found again by the comments engine. The theme codes are kept with each
generated answer (``DemoAnswer.comment_themes``) as ground truth.

Rule kept by the tests: in INFO_MISSING, only the theme ``ai`` mentions
« IA » or « intelligence artificielle ».
"""

BANK: dict[str, dict[str, list[str]]] = {
    "INFO_PERSONS": {
        "rupn_colleagues": [
            "Les collègues RUPN des établissements voisins.",
            "Les autres RUPN du bassin, on s'échange beaucoup par Tchap.",
            "Mes collègues RUPN de l'établissement.",
            "Le réseau des RUPN, surtout lors des regroupements.",
        ],
        "srane": [
            "Les conseillers du SRANE.",
            "L'équipe départementale du SRANE, toujours disponible.",
            "Le SRANE et les formateurs numériques.",
            "Les interlocuteurs académiques du numérique (SRANE).",
        ],
        "other_resources": [
            "Le professeur documentaliste et le référent Pix.",
            "Les formateurs Canopé.",
            "Des collègues de discipline très investis sur le numérique.",
            "Le technicien de la collectivité.",
        ],
    },
    "INFO_MISSING": {
        "ai": [
            "Comment utiliser l'IA ?",
            "Comment utiliser l'IA en classe, et avec quels outils autorisés ?",
            "Comment utiliser l'IA générative avec les élèves sans exposer leurs données ?",
            "Comment utiliser l'IA pour préparer ses cours : des exemples concrets.",
            "Comment utiliser l'IA, et comment en parler aux collègues inquiets ?",
        ],
        "pix_calendar": [
            "Le calendrier des campagnes Pix est arrivé tard.",
            "Des informations plus tôt sur l'organisation des certifications Pix.",
            "Les dates de certification Pix et les modalités pour les élèves à besoins particuliers.",
        ],
        "ent_changes": [
            "Les évolutions de l'ENT en cours d'année, on les découvre en même temps que les collègues.",
            "Les nouveautés de l'ENT et de Pronote.",
            "Un calendrier des mises à jour de l'ENT.",
        ],
        "equipment_plans": [
            "Les projets d'équipement de la collectivité : on n'est jamais prévenus.",
            "Le calendrier de renouvellement des ordinateurs et des tablettes.",
            "Qui contacter pour les pannes de matériel ?",
        ],
        "mission": [
            "Le contenu précis de la mission de RUPN et le temps qu'on peut y consacrer.",
            "La lettre de mission n'est pas claire sur ce qu'on attend de nous.",
            "Ce que recouvre exactement la mission, notamment avec deux établissements.",
        ],
        "training_offer": [
            "L'offre de formation pour les RUPN, publiée trop tard.",
            "Les dates des regroupements de RUPN.",
            "Les formations disponibles sur Apps éducation.",
        ],
        "data_protection": [
            "Ce qu'on a le droit d'utiliser ou non avec les élèves (RGPD).",
            "Une liste claire des applications conformes au RGPD.",
        ],
        "nothing": [
            "Rien de particulier, les lettres d'information suffisent.",
            "RAS, les newsletters sont très bien faites.",
            "Pas de manque particulier cette année.",
        ],
    },
    "EXCH_DETAILS": {
        "cafe": [
            "Café numérique : réunion mensuelle ouverte aux collègues (enseignants, tous personnels, et inviter "
            "des élèves est envisagé). Nous évoquons l'actualité numérique ; échangeons et débattons sur les "
            "usages (temps devant les écrans, l'esprit critique…) ; mutualisons nos pratiques et outils ; nous "
            "réglons les problèmes et je réponds aux besoins du moment (comment utiliser Pix Orga ou changer son "
            "mot de passe intranet académique…).",
            "Un café numérique une fois par semaine entre 12h45 et 13h40.",
            "Café numérique le jeudi midi en salle des professeurs : cinq à dix collègues à chaque fois.",
            "Un café numérique par mois, avec une petite démonstration d'un outil puis des questions libres.",
        ],
        "discussions": [
            "Surtout des discussions à la demande avec les collègues, et des mises en relation.",
            "Je passe dans la salle des profs et je réponds aux questions au fil de l'eau.",
            "Des échanges informels, à la demande, et je mets en relation les collègues qui ont les mêmes besoins.",
            "Mise en relation des collègues entre eux quand l'un a déjà résolu le problème de l'autre.",
        ],
        "thematic_workshops": [
            "Des ateliers thématiques, mais c'est compliqué de motiver les collègues, qui y sont peu présents.",
            "Ateliers thématiques à la pause méridienne : peu de monde malgré les annonces.",
            "Un atelier par trimestre sur un outil, annoncé sur l'ENT.",
        ],
        "online_space": [
            "Un espace d'échange sur l'ENT avec les tutoriels et une foire aux questions.",
            "Un salon Tchap de l'établissement pour les questions rapides.",
            "Un mur Digipad partagé où chacun dépose ses trouvailles.",
        ],
    },
    "WS_PEDAGOGY_THEMES": {
        "hybridation": ["L'hybridation de l'enseignement.", "Classe inversée et hybridation."],
        "qcm": ["L'utilisation des QCM pour la révision.", "QCM et auto-évaluation avec Pronote."],
        "collaborative_writing": ["L'écriture collaborative avec Digidoc.", "Écriture collaborative sur l'ENT."],
        "peer_review": ["L'intercorrection par les pairs.", "Évaluation par les pairs avec des outils en ligne."],
    },
    "WS_DIFFICULTIES": {
        "time": [
            "Le manque de temps : les collègues ont déjà des tâches multiples.",
            "Trouver un créneau commun, entre les conseils de classe et les réunions, c'est presque impossible.",
            "Pas de temps dédié, tout se fait sur la pause méridienne.",
            "Manque de temps, de mon côté comme de celui des collègues.",
            "Les tâches s'accumulent, difficile de dégager du temps pour préparer les ateliers.",
        ],
        "discouragement": [
            "Le découragement des profs : le numérique n'est pas leur priorité en ce moment.",
            "Peu d'envie chez les collègues, fatigués par les réformes successives.",
            "Le numérique pour l'éducation reste un sujet peu populaire dans la salle des profs.",
            "Les collègues sont découragés par leurs conditions de travail, difficile de les motiver.",
        ],
        "agendas": [
            "Les agendas : beaucoup de collègues ont un service partagé entre plusieurs établissements.",
            "Impossible de réunir tout le monde, les emplois du temps ne coïncident jamais.",
            "Je suis moi-même sur deux établissements, l'agenda est un casse-tête.",
            "Les services partagés rendent les ateliers difficiles à caler.",
        ],
        "attendance": [
            "Peu de participants : deux ou trois collègues, toujours les mêmes.",
            "Les collègues s'inscrivent puis ne viennent pas.",
            "Difficile de motiver les collègues qui en auraient le plus besoin.",
        ],
        "equipment": [
            "Le mauvais état du matériel : la moitié des ordinateurs ne démarrent pas.",
            "Le wifi ne fonctionne pas dans la salle prévue, l'atelier a tourné court.",
            "Les tablettes n'étaient pas chargées ni mises à jour.",
        ],
    },
    "PROJ_TOPICS": {
        "erasmus": [
            "Projets Erasmus+ : mise en place des échanges en visio et du blog du projet.",
            "Un projet Erasmus avec une école espagnole.",
            "Erasmus+, pour les outils de communication avec les partenaires.",
            "Accompagnement des collègues sur le volet numérique d'un projet Erasmus.",
        ],
        "specific_resources": [
            "Demande de ressources pour un escape game numérique.",
            "Des activités spécifiques qui demandent du numérique : escape game, podcast, webradio.",
            "Création d'un escape game sur Genially avec la professeure documentaliste.",
            "Ressources pour un projet de webradio.",
            "Un projet de podcast en français avec une classe de 4e.",
        ],
        "etwinning": [
            "eTwinning avec un collège italien.",
            "Prise en main de la plateforme eTwinning.",
            "Un projet eTwinning en langues vivantes.",
        ],
        "ent_tools": [
            "Mise en place d'un blog de classe sur l'ENT.",
            "Utiliser l'ENT pour un projet interdisciplinaire.",
            "Des classes virtuelles pour un projet avec un autre établissement.",
        ],
    },
    "STEER_DETAILS": {
        "equipment": [
            "Participation au choix des équipements avec la collectivité.",
            "Inventaire du parc informatique et remontée des besoins en équipement.",
            "J'ai préparé la demande de renouvellement des tablettes.",
        ],
        "development_plans": [
            "Participation au plan de développement du numérique, en lien avec Schematic.",
            "Plan d'amélioration en lien avec la co-éducation et l'inclusion.",
            "Travail sur les compétences numériques des élèves et sur « Devoirs faits ».",
            "Diagnostic Schematic avec la direction, puis plan d'action.",
        ],
        "committees": [
            "Membre du comité de pilotage du numérique de l'établissement.",
            "Participation au conseil pédagogique sur le volet numérique.",
            "Un comité de pilotage s'est réuni deux fois cette année.",
        ],
    },
    "PART_COMMENTS": {
        "seren_it": [
            "J'aimerais pouvoir faire directement les demandes d'assistance par Seren-IT.",
            "En Charente-Maritime, passer par Seren-IT directement nous ferait gagner du temps.",
            "Pouvoir ouvrir moi-même les tickets Seren-IT serait plus simple.",
            "Les demandes d'assistance via Seren-IT passent par trop d'intermédiaires.",
            "Seren-IT fonctionne, mais il faudrait que les RUPN puissent saisir les demandes eux-mêmes.",
        ],
        "collectivity_good": [
            "Très bonnes relations avec la collectivité, réactive cette année.",
            "Le technicien du département passe régulièrement, c'est appréciable.",
            "Bonne collaboration avec le conseil départemental pour l'équipement.",
            "Relations bonnes avec la Région, les interventions sont rapides.",
        ],
        "srane_good": [
            "Le SRANE est toujours disponible et de bon conseil.",
            "Merci au SRANE pour son accompagnement.",
            "Excellentes relations avec l'équipe du SRANE.",
        ],
        "tickets_faster": [
            "Les tickets d'assistance sont traités plus vite que l'an dernier.",
            "Moins de lenteur dans le traitement des tickets, c'est un vrai progrès.",
            "Satisfait de l'assistance, je n'ai presque pas eu besoin de l'utiliser.",
        ],
        "slow_tickets": [
            "Les tickets restent parfois ouverts plusieurs semaines.",
            "Délais d'intervention encore longs pour les pannes de vidéoprojecteurs.",
            "Assistance lente quand le problème concerne le réseau.",
        ],
        "direction": [
            "La direction soutient la mission, mais le temps manque.",
            "Relations difficiles avec la direction, qui ne voit pas l'intérêt de la mission.",
            "La direction m'associe aux décisions sur le numérique.",
        ],
    },
    "NEXT_PROJECTS": {
        "parents": [
            "Développer des ateliers pour les parents (ENT, Pronote, contrôle parental).",
            "Ateliers parents sur les écrans et la santé.",
            "Une soirée d'information pour les parents sur les usages des écrans.",
            "Des ateliers pour les parents sur la prise en main de l'ENT.",
            "Ouvrir le café numérique aux parents.",
        ],
        "apps_education": [
            "Former les collègues à l'utilisation d'Apps éducation.",
            "Formation sur Apps éducation : Nextcloud, Peertube et les classes virtuelles.",
            "Faire migrer les collègues vers Apps éducation.",
            "Présenter la suite Apps éducation en début d'année.",
        ],
        "tools_workshops": [
            "Multiplier les ateliers présentant les outils : tablettes, outils de l'ENT.",
            "Des ateliers de prise en main des tablettes pour les nouveaux collègues.",
            "Ateliers courts sur les outils de l'ENT, un par mois.",
            "Multiplier les mini-ateliers sur les tablettes et les outils de La Digitale.",
        ],
        "pix": [
            "Organiser mieux Pix en 3e et en terminale.",
            "Mettre en place Pix dès la 6e avec les professeurs principaux.",
            "Former l'équipe à Pix Orga.",
        ],
        "screens_health": [
            "Un travail sur la santé et les écrans avec l'infirmière.",
            "Une semaine sans écrans avec des actions de sensibilisation.",
            "Réflexion commune sur le temps d'écran des élèves.",
        ],
        "ai": [
            "Un atelier sur l'IA générative pour les collègues.",
            "Réfléchir avec l'équipe à l'IA et à l'esprit critique.",
        ],
    },
    "SUGGESTIONS": {
        "in_person_training": [
            "Proposer des formations sur le terrain, en présentiel, pour un réel échange et une prise en main "
            "du matériel et des applications.",
            "Plus de formations en présentiel dans les établissements, les classes virtuelles ne suffisent pas.",
            "Des formations en présentiel, au plus près du terrain.",
            "Former sur place, avec le matériel de l'établissement.",
            "Des stages en présentiel plutôt que des webinaires.",
        ],
        "working_equipment": [
            "Avoir du matériel qui fonctionne !",
            "Du matériel qui fonctionne et qui est entretenu.",
            "Un parc informatique en état de marche avant de parler d'usages.",
            "Que le matériel fonctionne, tout simplement.",
        ],
        "ent": [
            "Un ENT pleinement fonctionnel !",
            "Un ENT plus simple et plus stable.",
            "Améliorer l'ENT, trop de lenteurs.",
        ],
        "wifi": [
            "Encore améliorer le wifi : une connexion partout et toujours fonctionnelle pour emporter l'adhésion "
            "des collègues.",
            "Le wifi dans toutes les salles.",
            "Un wifi fiable, c'est la base.",
        ],
        "ai": [
            "Une réflexion sur l'IA.",
            "Nous former à l'IA et à ses usages en classe.",
            "Un cadre clair pour l'intelligence artificielle en classe.",
        ],
        "byod": [
            "Une réflexion sur le BYOD.",
            "Clarifier les règles du BYOD, l'usage des appareils personnels en classe.",
            "Réfléchir au BYOD au lycée.",
        ],
        "recognised_time": [
            "Reconnaître comme un vrai travail le temps que les enseignants consacrent à faire évoluer leurs "
            "pratiques.",
            "Du temps dégagé pour la mission de RUPN.",
            "Une décharge horaire pour les RUPN.",
        ],
        "device_per_pupil": [
            "Un ordinateur ou une tablette par élève et par cours : les postes des professeurs comptent dans "
            "le parc pédagogique.",
            "Plus de tablettes, une mallette pour 30 élèves ne suffit pas.",
            "Des dédoublements de classes et des VNI pour utiliser les salles informatiques.",
        ],
        "digital_lab": [
            "Créer un « labo de culture numérique » (comme les labos de maths) pour analyser nos pratiques, "
            "expérimenter et faire le lien avec la recherche.",
            "Un lien plus fort avec la recherche (Techne, INRIA).",
        ],
        "free_software": [
            "Former aux applications institutionnelles et libres (ENT, Apps éducation, eTwinning, La Digitale).",
            "Poursuivre au niveau national le développement d'applications utiles pour sortir des GAFAM.",
            "Des murs virtuels de ressources (orientation, parcours avenir, EBEP).",
        ],
        "stable_team": [
            "Avoir une équipe stable.",
            "Éviter le renouvellement permanent des équipes, tout est à recommencer chaque année.",
        ],
        "techno": [
            "Les élèves de 6e sont beaucoup moins à l'aise depuis la suppression de la techno.",
            "Depuis la fin de la technologie en 6e, les bases manquent aux élèves.",
        ],
        "tutorials": [
            "Transmettre en direct des tutoriels aux collègues pour utiliser les outils Apps éducation.",
            "Des tutoriels courts et à jour, faciles à partager.",
        ],
    },
    "MOB_COMMENTS": {
        "college_restrictions": [
            "À éviter au collège.",
            "Le smartphone n'est autorisé qu'à titre exceptionnel au collège.",
            "Seulement avec les plus grands.",
        ],
        "tablets_instead": [
            "Non car nous avons des tablettes.",
            "Nous avons des tablettes, pas besoin des smartphones.",
        ],
        "plan_b": [
            "Certains collègues les utilisent quand le réseau ne fonctionne pas, c'est le plan B pour sauver "
            "leur cours.",
            "Le smartphone sert de secours quand le wifi tombe.",
        ],
        "screen_time": [
            "Oui, mais je n'y suis pas favorable : le temps d'écran de nos collégiens est déjà trop élevé.",
            "Une tablette peut apporter… ou détruire.",
            "Attention au temps d'écran.",
        ],
        "byod_difficult": [
            "BYOD difficile dans mon établissement.",
            "Très ponctuellement car tous nos élèves n'en ont pas, et il manque toujours une connexion wifi "
            "gratuite et fluide pour les élèves.",
        ],
        "occasional_use": [
            "Occasionnellement (hygiène numérique cette année, QR codes pour des contenus) : cela permet "
            "d'individualiser le rythme de travail.",
            "Oui souvent, pour la recherche de références ou pour photographier un objet avant de le dessiner.",
            "Le mien mais pas les élèves (exceptionnellement).",
            "Avec MoDco.",
            "Non, plus maintenant.",
        ],
    },
    "SCI_ASSESS_COMMENTS": {
        "feedback": ["Rétroaction rapide, différenciation.", "Le retour immédiat aide les élèves à progresser."],
        "quizzes": [
            "QCM interactifs par exemple, et auto-évaluations ; inclusivité.",
            "Des quiz réguliers, à faible enjeu.",
        ],
        "worry": ["Je suis inquiet du tout numérique.", "Attention à ne pas tout évaluer sur écran."],
        "didactics": [
            "J'ai davantage besoin de mettre en lien le numérique avec la didactique des disciplines ; les "
            "sciences cognitives me semblent trop générales.",
            "Il faudrait des exemples par discipline.",
        ],
    },
    "SCI_MEMORY_COMMENTS": {
        "quiz_tools": [
            "Les logiciels ou applications type quiz ou boîte de Leitner, qui permettent une meilleure "
            "mémorisation.",
            "Flashcards, textes tronqués, cartes mentales, learning apps, parcours avec mémorisation expansée "
            "(Genially, LearningApps).",
            "Utiliser le testing régulier sur les essentiels du cours et la reprise expansée ; Anki ou Wooflash "
            "le permettent.",
        ],
        "principles": [
            "Courbe de l'oubli, réinvestissement, mémorisation active.",
            "Multi-supports, métacognition.",
        ],
        "paradigm": [
            "Je voudrais être plus précis sur le changement de paradigme que le numérique engage dans la "
            "société ; l'IA va nous obliger à aller encore plus loin dans la réflexion.",
        ],
    },
    "SCI_A11Y_COMMENTS": {
        "documentation": [
            "Mise à disposition d'une documentation spécifique auprès des collègues, en plus des documents de "
            "la journée de formation (mais pas d'enthousiasme de leur part).",
            "Réalisation d'une fiche récapitulative des moyens pour rendre le numérique accessible.",
        ],
        "aesh": ["Via les AESH.", "Surtout par les échanges avec les AESH."],
        "training": [
            "Formation EBEP et CUA.",
            "Un peu : j'ai suivi des formations de Canopé cette année sur ce point (notamment la CUA).",
        ],
        "pix": ["À travers Pix.", "Les modules Pix sur l'accessibilité."],
    },
    "SKILLS_COMMENTS": {
        "pix_time": [
            "Pix occupe l'essentiel de mon temps de RUPN.",
            "L'organisation de Pix me prend presque tout mon temps.",
            "Pix, Pix et encore Pix : les certifications prennent tout le temps.",
        ],
        "advising": [
            "Au quotidien, de manière informelle, sur demande.",
            "Je conseille surtout dans la salle des profs, entre deux cours.",
            "Sur demande, souvent par messagerie.",
        ],
        "pix_edu": [
            "J'ai l'intention de faire connaître Pix+ Édu l'an prochain.",
            "Pix+ Édu : je ne le connais pas encore assez pour en parler.",
        ],
        "tutorials": [
            "Je fais des tutoriels vidéo courts, déposés sur l'ENT.",
            "Des fiches tutoriels imprimées en salle des profs.",
        ],
    },
    "RES_COMMENTS": {
        "edubase": ["Je découvre Édubase grâce à ce questionnaire.", "Édubase mériterait d'être mieux présentée."],
        "apps_education": [
            "Apps éducation est devenu incontournable.",
            "La suite Apps éducation est très utile, surtout Nextcloud.",
        ],
        "lumni": ["Lumni est très apprécié des collègues de langues.", "J'utilise Lumni en classe de temps en temps."],
        "internet_sans_crainte": [
            "Internet sans crainte est utile pour l'éducation aux médias.",
            "Ressources d'Internet sans crainte utilisées pour le permis Internet.",
        ],
        "too_many": [
            "Trop de ressources, on s'y perd.",
            "Il faudrait un portail unique pour toutes ces ressources.",
        ],
    },
}

# Free texts for the 'other' option of choice questions.
OTHER_TEXTS: dict[str, list[str]] = {
    "INFO_SOURCES": ["Podcasts", "Lettre Édu_Num", "Veille sur des blogs d'enseignants", "Le Café pédagogique"],
    "INFO_NETWORKS": ["Bluesky", "Discord", "Threads"],
    "EXCH_METHODS": ["Permanence hebdomadaire au CDI", "Lettre numérique interne", "Messagerie de l'ENT"],
    "WS_THEMES": ["Genially", "Sécurité des mots de passe", "Classe virtuelle"],
    "STEER_TOPICS": ["Charte d'usage du numérique", "Plan de continuité pédagogique", "RGPD"],
    "STEER_WHY_NOT": ["Arrivée en cours d'année", "Pas le temps cette année"],
}

# Frames put around a comment used a second time, so that the same idea
# comes back in other words (neutral: no theme word, no « IA »).
OPENERS = ["Pour ma part : ", "Comme l'an dernier : ", "Toujours la même chose : ", "Je dirais : ",
           "Honnêtement : ", "Pour résumer : ", "De mon côté : "]
CLOSERS = [" Merci !", " Voilà pour moi.", " Comme beaucoup de collègues, je pense.", " Rien d'autre à signaler.",
           " Merci pour ce questionnaire."]
# First words kept capitalised after an opener.
PROPER_FIRST_WORDS = {"Pix", "Apps", "Lumni", "Tchap", "Erasmus", "Édubase", "Internet", "Genially", "Anki",
                      "Seren-IT", "Mme"}

# Short fields, where no sentence naming someone is appended.
SHORT_TEXT_QUESTIONS = {"INFO_PERSONS", "WS_PEDAGOGY_THEMES"}

# Sentences naming a colleague, a school, an e-mail or a phone, appended to a
# few comments so that pseudonymisation has real work to do.
PERSONAL_TEMPLATES = [
    "Comme l'a fait {civility} {last_name} {at_school}.",
    "Voir avec {first_name} {last_name} ({email}), qui l'a mis en place.",
    "Contact : {email}.",
    "On peut joindre {civility} {last_name} au {phone}.",
    "Merci à {first_name} {last_name}, RUPN {at_school}, pour son aide.",
    "C'est ce qui se fait {at_school} ({commune}).",
    "Exemple {at_school} avec {civility} {last_name}, joignable au {phone}.",
]
