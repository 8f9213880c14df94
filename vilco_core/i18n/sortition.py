"""Messages of draws by lot (vilco_core.sortition and `python -m vilco_core draw`)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "sortition.cancelled": {
        "fr": "Le calcul du tirage a été annulé.",
        "nl": "De berekening van de loting is geannuleerd.",
        "en": "The draw computation was cancelled.",
    },
    "sortition.cli_missing_inputs": {
        "fr": (
            "Indiquez --people, --features et --size (ou --lottery pour rejouer un tirage publié)."
        ),
        "nl": (
            "Geef --people, --features en --size op (of --lottery om een "
            "gepubliceerde loting te herhalen)."
        ),
        "en": "Give --people, --features and --size (or --lottery to replay a published draw).",
    },
    "sortition.csv_empty": {
        "fr": "Le fichier CSV est vide.",
        "nl": "Het CSV-bestand is leeg.",
        "en": "The CSV file is empty.",
    },
    "sortition.duplicate_id": {
        "fr": "L'identifiant {id} apparaît {count} fois.",
        "nl": "De identificatie {id} komt {count} keer voor.",
        "en": "The id {id} appears {count} times.",
    },
    "sortition.duplicate_quota": {
        "fr": "Le quota {feature} = {value} est défini plusieurs fois.",
        "nl": "Het quotum {feature} = {value} is meermaals gedefinieerd.",
        "en": "The quota {feature} = {value} is defined more than once.",
    },
    "sortition.empty_id": {
        "fr": "Ligne {line} : identifiant vide.",
        "nl": "Regel {line}: lege identificatie.",
        "en": "Line {line}: empty id.",
    },
    "sortition.empty_seed": {
        "fr": "La graine du tirage est vide.",
        "nl": "Het zaad (seed) van de loting is leeg.",
        "en": "The draw seed is empty.",
    },
    "sortition.feature_maxes_below_size": {
        "fr": (
            "Pour {feature}, la somme des maximums ({total}) est inférieure à la "
            "taille du panel ({size})."
        ),
        "nl": (
            "Voor {feature} is de som van de maxima ({total}) kleiner dan de panelgrootte ({size})."
        ),
        "en": "For {feature}, the maximums add up to {total}, below the panel size {size}.",
    },
    "sortition.feature_mins_above_size": {
        "fr": (
            "Pour {feature}, la somme des minimums ({total}) dépasse la taille du panel ({size})."
        ),
        "nl": (
            "Voor {feature} is de som van de minima ({total}) groter dan de panelgrootte ({size})."
        ),
        "en": "For {feature}, the minimums add up to {total}, above the panel size {size}.",
    },
    "sortition.file_unreadable": {
        "fr": "Impossible de lire le fichier {path}.",
        "nl": "Het bestand {path} kan niet gelezen worden.",
        "en": "Cannot read the file {path}.",
    },
    "sortition.legacy_failed": {
        "fr": "La méthode séquentielle n'a trouvé aucun panel en {attempts} essais.",
        "nl": "De sequentiële methode vond geen panel in {attempts} pogingen.",
        "en": "The sequential method found no panel in {attempts} attempts.",
    },
    "sortition.lottery_hash_mismatch": {
        "fr": (
            "Fichier de loterie refusé : son SHA-256 est {actual}, le hash publié est {expected}."
        ),
        "nl": (
            "Loterijbestand geweigerd: de SHA-256 is {actual}, de gepubliceerde hash is {expected}."
        ),
        "en": "Lottery file refused: its SHA-256 is {actual}, the published hash is {expected}.",
    },
    "sortition.lottery_malformed": {
        "fr": "Fichier de loterie invalide ({detail}).",
        "nl": "Ongeldig loterijbestand ({detail}).",
        "en": "Invalid lottery file ({detail}).",
    },
    "sortition.lottery_not_canonical": {
        "fr": (
            "Fichier de loterie refusé : il n'est pas sous forme canonique (a-t-il été modifié ?)."
        ),
        "nl": "Loterijbestand geweigerd: het is niet in canonieke vorm (werd het gewijzigd?).",
        "en": "Lottery file refused: it is not in canonical form (was it edited?).",
    },
    "sortition.lottery_panel_breaks_quotas": {
        "fr": "Fichier de loterie refusé : le panel n° {index} ne respecte pas les quotas.",
        "nl": "Loterijbestand geweigerd: panel nr. {index} voldoet niet aan de quota.",
        "en": "Lottery file refused: panel number {index} breaks the quotas.",
    },
    "sortition.method_mismatch": {
        "fr": "La loterie a été calculée avec la méthode {expected}, pas {actual}.",
        "nl": "De loterij werd berekend met de methode {expected}, niet {actual}.",
        "en": "The lottery was computed with the method {expected}, not {actual}.",
    },
    "sortition.missing_column": {
        "fr": "Colonne manquante : {column}.",
        "nl": "Ontbrekende kolom: {column}.",
        "en": "Missing column: {column}.",
    },
    "sortition.missing_value": {
        "fr": "Ligne {line} : {id} n'a pas de valeur pour {feature}.",
        "nl": "Regel {line}: {id} heeft geen waarde voor {feature}.",
        "en": "Line {line}: {id} has no value for {feature}.",
    },
    "sortition.not_enough_people": {
        "fr": (
            "Le quota {feature} = {value} demande au moins {min} personnes, le "
            "vivier n'en compte que {available}."
        ),
        "nl": (
            "Het quotum {feature} = {value} vraagt minstens {min} personen, de "
            "pool telt er maar {available}."
        ),
        "en": (
            "The quota {feature} = {value} asks for at least {min} people, the "
            "pool has only {available}."
        ),
    },
    "sortition.pool_hash_mismatch": {
        "fr": "Ce vivier ne correspond pas à la loterie : SHA-256 {actual} au lieu de {expected}.",
        "nl": "Deze pool hoort niet bij de loterij: SHA-256 {actual} in plaats van {expected}.",
        "en": "This pool does not match the lottery: SHA-256 {actual} instead of {expected}.",
    },
    "sortition.pool_too_small": {
        "fr": "Le vivier compte {people} personnes, moins que la taille du panel ({size}).",
        "nl": "De pool telt {people} personen, minder dan de panelgrootte ({size}).",
        "en": "The pool has {people} people, fewer than the panel size {size}.",
    },
    "sortition.quota_blank": {
        "fr": "Ligne {line} : caractéristique ou valeur vide.",
        "nl": "Regel {line}: lege eigenschap of waarde.",
        "en": "Line {line}: empty feature or value.",
    },
    "sortition.quota_min_above_max": {
        "fr": "Le quota {feature} = {value} a un minimum ({min}) supérieur au maximum ({max}).",
        "nl": "Het quotum {feature} = {value} heeft een minimum ({min}) boven het maximum ({max}).",
        "en": "The quota {feature} = {value} has a minimum ({min}) above its maximum ({max}).",
    },
    "sortition.quota_min_above_size": {
        "fr": (
            "Le minimum du quota {feature} = {value} ({min}) dépasse la taille du panel ({size})."
        ),
        "nl": (
            "Het minimum van het quotum {feature} = {value} ({min}) is groter dan "
            "de panelgrootte ({size})."
        ),
        "en": "The minimum of the quota {feature} = {value} ({min}) exceeds the panel size {size}.",
    },
    "sortition.quota_negative": {
        "fr": "Ligne {line}, colonne {column} : « {text} » est négatif.",
        "nl": "Regel {line}, kolom {column}: '{text}' is negatief.",
        "en": "Line {line}, column {column}: '{text}' is negative.",
    },
    "sortition.quota_not_integer": {
        "fr": "Ligne {line}, colonne {column} : « {text} » n'est pas un nombre entier.",
        "nl": "Regel {line}, kolom {column}: '{text}' is geen geheel getal.",
        "en": "Line {line}, column {column}: '{text}' is not a whole number.",
    },
    "sortition.quotas_hash_mismatch": {
        "fr": (
            "Ces quotas ne correspondent pas à la loterie : SHA-256 {actual} au lieu de {expected}."
        ),
        "nl": "Deze quota horen niet bij de loterij: SHA-256 {actual} in plaats van {expected}.",
        "en": "These quotas do not match the lottery: SHA-256 {actual} instead of {expected}.",
    },
    "sortition.quotas_infeasible": {
        "fr": (
            "Aucun panel ne peut respecter tous les quotas : les caractéristiques "
            "{features} se contredisent."
        ),
        "nl": (
            "Geen enkel panel kan alle quota halen: de eigenschappen {features} "
            "spreken elkaar tegen."
        ),
        "en": "No panel can meet every quota: the features {features} clash.",
    },
    "sortition.size_mismatch": {
        "fr": "La loterie est pour un panel de {expected} personnes, pas {actual}.",
        "nl": "De loterij is voor een panel van {expected} personen, niet {actual}.",
        "en": "The lottery is for a panel of {expected} people, not {actual}.",
    },
    "sortition.size_not_positive": {
        "fr": "La taille du panel doit être positive (reçu {size}).",
        "nl": "De panelgrootte moet positief zijn (ontvangen: {size}).",
        "en": "The panel size must be positive (got {size}).",
    },
    "sortition.solver_failed": {
        "fr": "Le solveur a échoué ({status}).",
        "nl": "De solver is mislukt ({status}).",
        "en": "The solver failed ({status}).",
    },
    "sortition.unknown_method": {
        "fr": "Méthode inconnue : {method} (possibles : {methods}).",
        "nl": "Onbekende methode: {method} (mogelijk: {methods}).",
        "en": "Unknown method: {method} (one of: {methods}).",
    },
    "sortition.unknown_value": {
        "fr": "{id} a la valeur « {value} » pour {feature}, absente des quotas.",
        "nl": "{id} heeft de waarde '{value}' voor {feature}, die niet in de quota staat.",
        "en": "{id} has the value '{value}' for {feature}, which no quota lists.",
    },
}
