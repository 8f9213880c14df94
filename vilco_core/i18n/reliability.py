"""Catalogue of reliability and security: the receipt check, backups, an unreachable database."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "nav.receipt": {"fr": "Vérifier un reçu", "nl": "Ontvangstbewijs nakijken",
                    "en": "Check a receipt"},
    "receipt.title": {"fr": "Mon vote est-il compté ?", "nl": "Is mijn stem geteld?",
                      "en": "Is my vote counted?"},
    "receipt.intro": {
        "fr": "Tapez le reçu affiché après votre vote (10 caractères). Il ne dit pas pour qui "
              "vous avez voté à qui que ce soit d'autre que vous.",
        "nl": "Typ het ontvangstbewijs dat na uw stem verscheen (10 tekens). Het verraadt aan "
              "niemand anders dan u waarop u stemde.",
        "en": "Type the receipt shown after your vote (10 characters). It tells nobody but you "
              "what you voted for.",
    },
    "receipt.field": {"fr": "Reçu", "nl": "Ontvangstbewijs", "en": "Receipt"},
    "receipt.check": {"fr": "Vérifier", "nl": "Nakijken", "en": "Check"},
    "receipt.counted": {
        "fr": "Le bulletin {receipt} est enregistré et compté (déposé le {day}).",
        "nl": "Stembiljet {receipt} is opgeslagen en geteld (uitgebracht op {day}).",
        "en": "Ballot {receipt} is stored and counted (cast on {day}).",
    },
    "receipt.not_counted": {
        "fr": "Aucun bulletin compté ne porte le reçu {receipt}. Vérifiez la saisie ; si le reçu "
              "est correct, signalez-le à la commune.",
        "nl": "Geen geteld stembiljet heeft ontvangstbewijs {receipt}. Kijk de invoer na; klopt "
              "het, meld het dan aan de gemeente.",
        "en": "No counted ballot has receipt {receipt}. Check what you typed; if it is right, "
              "tell the commune.",
    },
    "receipt.invalid": {
        "fr": "Ce n'est pas un reçu : il compte 10 lettres et chiffres (par ex. 7K3M9QPX2A).",
        "nl": "Dit is geen ontvangstbewijs: het telt 10 letters en cijfers (bv. 7K3M9QPX2A).",
        "en": "This is not a receipt: it has 10 letters and digits (e.g. 7K3M9QPX2A).",
    },
    "errors.database_unavailable": {
        "fr": "La base de données ne répond pas pour l'instant. Rien n'a été enregistré : "
              "réessayez dans quelques secondes.",
        "nl": "De databank antwoordt momenteel niet. Er is niets opgeslagen: probeer het over "
              "enkele seconden opnieuw.",
        "en": "The database is not answering right now. Nothing was recorded: try again in a "
              "few seconds.",
    },
    "errors.showing_last_good": {
        "fr": "La base de données ne répond pas : voici le dernier état connu.",
        "nl": "De databank antwoordt niet: dit is de laatst gekende toestand.",
        "en": "The database is not answering: this is the last known state.",
    },
    "backup.file_missing": {"fr": "Fichier introuvable : {file}",
                            "nl": "Bestand niet gevonden: {file}", "en": "File not found: {file}"},
    "backup.invalid_file": {
        "fr": "{file} n'est pas une sauvegarde vilco.",
        "nl": "{file} is geen vilco-back-up.",
        "en": "{file} is not a vilco backup.",
    },
    "backup.unsupported": {
        "fr": "Cette base de données ne peut pas être sauvegardée ainsi.",
        "nl": "Deze databank kan zo niet worden geback-upt.",
        "en": "This database cannot be backed up this way.",
    },
    "backup.tool_missing": {
        "fr": "{tool} est introuvable : installez les outils clients PostgreSQL.",
        "nl": "{tool} ontbreekt: installeer de PostgreSQL-clienthulpmiddelen.",
        "en": "{tool} is missing: install the PostgreSQL client tools.",
    },
    "backup.tool_failed": {
        "fr": "{tool} a échoué : {detail}",
        "nl": "{tool} is mislukt: {detail}",
        "en": "{tool} failed: {detail}",
    },
}  # fmt: skip
