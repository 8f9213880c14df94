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
    "audit.head_invalid": {
        "fr": "Tête de chaîne illisible : 64 caractères hexadécimaux attendus, éventuellement "
              "suivis de @ et du numéro d'entrée (HASH@SEQ).",
        "nl": "Onleesbare kop van de keten: 64 hexadecimale tekens verwacht, eventueel gevolgd "
              "door @ en het volgnummer (HASH@SEQ).",
        "en": "Unreadable chain head: 64 hexadecimal characters expected, optionally followed "
              "by @ and the entry number (HASH@SEQ).",
    },
    "audit.entry_not_found": {
        "fr": "Le journal d'audit n'a pas d'entrée {seq}.",
        "nl": "Het auditlogboek heeft geen item {seq}.",
        "en": "The audit log has no entry {seq}.",
    },
    "receipt.head_title": {"fr": "Empreinte du journal d'audit",
                           "nl": "Vingerafdruk van het auditlogboek",
                           "en": "Audit log fingerprint"},
    "receipt.head": {
        "fr": "Entrée {seq} du journal, du {day}. La commune publie cette empreinte avec chaque "
              "résultat : notez-la et comparez-la avec celle qui est publiée. Elle change à "
              "chaque vote ; une empreinte déjà publiée doit toujours se retrouver dans la chaîne.",
        "nl": "Item {seq} van het logboek, van {day}. De gemeente publiceert deze vingerafdruk "
              "bij elke uitslag: noteer ze en vergelijk ze met de gepubliceerde. Ze verandert bij "
              "elke stem; een al gepubliceerde vingerafdruk moet altijd in de keten blijven.",
        "en": "Entry {seq} of the log, dated {day}. The commune publishes this fingerprint with "
              "each tally: note it and compare it with the published one. It changes with every "
              "vote; a fingerprint already published must always stay in the chain.",
    },
    "receipt.head_empty": {"fr": "Le journal d'audit est encore vide.",
                           "nl": "Het auditlogboek is nog leeg.",
                           "en": "The audit log is still empty."},
    "results.publish_title": {"fr": "Publier le décompte", "nl": "Telling publiceren",
                              "en": "Publish the tally"},
    "results.publish_help": {
        "fr": "Inscrit le décompte actuel (bulletins et voix par projet) dans le journal d'audit "
              "et donne l'empreinte à publier avec lui : toute vérification ultérieure le "
              "recompte à partir des bulletins.",
        "nl": "Schrijft de huidige telling (stembiljetten en stemmen per project) in het "
              "auditlogboek en geeft de vingerafdruk om ermee te publiceren: elke latere controle "
              "telt ze opnieuw vanaf de stembiljetten.",
        "en": "Records the current tally (ballots and votes per project) in the audit log and "
              "gives the fingerprint to publish with it: every later check recounts it from the "
              "ballots.",
    },
    "results.publish": {"fr": "Publier ce décompte", "nl": "Deze telling publiceren",
                        "en": "Publish this tally"},
    "results.published": {
        "fr": "Décompte publié : entrée {seq} du journal d'audit, du {day}. Publiez cette "
              "empreinte avec les résultats :",
        "nl": "Telling gepubliceerd: item {seq} van het auditlogboek, van {day}. Publiceer deze "
              "vingerafdruk samen met de uitslag:",
        "en": "Tally published: entry {seq} of the audit log, dated {day}. Publish this "
              "fingerprint with the results:",
    },
}  # fmt: skip
