"""Catalogue of ballots, outcome rules, explanations and Pabulib import errors."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # ballot validation
    "ballot.wrong_kind": {
        "fr": "Ce bulletin est de type {kind}, le processus attend {expected}.",
        "nl": "Dit stembiljet is van het type {kind}, het proces verwacht {expected}.",
        "en": "This ballot is of type {kind}; the process expects {expected}.",
    },
    "ballot.empty": {
        "fr": "Le bulletin ne contient aucun projet.",
        "nl": "Het stembiljet bevat geen enkel project.",
        "en": "The ballot names no project.",
    },
    "ballot.unknown_project": {
        "fr": "Le projet {project} ne fait pas partie de ce vote.",
        "nl": "Project {project} maakt geen deel uit van deze stemming.",
        "en": "Project {project} is not part of this vote.",
    },
    "ballot.duplicate_project": {
        "fr": "Le projet {project} figure deux fois sur le bulletin.",
        "nl": "Project {project} staat twee keer op het stembiljet.",
        "en": "Project {project} appears twice on the ballot.",
    },
    "ballot.too_few": {
        "fr": "Choisissez au moins {minimum} projets (vous en avez choisi {count}).",
        "nl": "Kies minstens {minimum} projecten (u koos er {count}).",
        "en": "Choose at least {minimum} projects (you chose {count}).",
    },
    "ballot.too_many": {
        "fr": "Choisissez au plus {maximum} projets (vous en avez choisi {count}).",
        "nl": "Kies hoogstens {maximum} projecten (u koos er {count}).",
        "en": "Choose at most {maximum} projects (you chose {count}).",
    },
    "ballot.missing_budget": {
        "fr": "Le processus ne fixe pas de budget pour ce bulletin.",
        "nl": "Het proces legt geen budget vast voor dit stembiljet.",
        "en": "The process sets no budget for this ballot.",
    },
    "ballot.over_budget": {
        "fr": "Les projets choisis coûtent {spent}, plus que le budget de {budget}.",
        "nl": "De gekozen projecten kosten {spent}, meer dan het budget van {budget}.",
        "en": "The chosen projects cost {spent}, more than the budget of {budget}.",
    },
    "ballot.under_min_spend": {
        "fr": "Utilisez au moins {share} % du budget (vous avez utilisé {spent}).",
        "nl": "Gebruik minstens {share} % van het budget (u gebruikte {spent}).",
        "en": "Use at least {share}% of the budget (you used {spent}).",
    },
    "ballot.points_mismatch": {
        "fr": "Le bulletin nomme {projects} projets mais donne {points} nombres de points.",
        "nl": "Het stembiljet noemt {projects} projecten maar geeft {points} puntenaantallen.",
        "en": "The ballot names {projects} projects but gives {points} point values.",
    },
    "ballot.negative_points": {
        "fr": "Le projet {project} reçoit {points} points : il faut au moins 1 point.",
        "nl": "Project {project} krijgt {points} punten: minstens 1 punt is vereist.",
        "en": "Project {project} gets {points} points: at least 1 point is required.",
    },
    "ballot.points_over_cap": {
        "fr": "Le projet {project} reçoit {points} points, le maximum par projet est {cap}.",
        "nl": "Project {project} krijgt {points} punten, het maximum per project is {cap}.",
        "en": "Project {project} gets {points} points; the most per project is {cap}.",
    },
    "ballot.points_over_total": {
        "fr": "Vous distribuez {total} points, le maximum est {maximum}.",
        "nl": "U verdeelt {total} punten, het maximum is {maximum}.",
        "en": "You hand out {total} points; the most allowed is {maximum}.",
    },
    # rule parameters
    "rules.unknown_rule": {
        "fr": "Règle inconnue « {name} » (possibles : {allowed}).",
        "nl": "Onbekende regel '{name}' (mogelijk: {allowed}).",
        "en": "Unknown rule '{name}' (one of: {allowed}).",
    },
    "rules.unknown_utility": {
        "fr": "Utilité inconnue « {name} » (possibles : {allowed}).",
        "nl": "Onbekend nut '{name}' (mogelijk: {allowed}).",
        "en": "Unknown utility '{name}' (one of: {allowed}).",
    },
    "rules.unknown_completion": {
        "fr": "Complétion inconnue « {name} » (possibles : {allowed}).",
        "nl": "Onbekende aanvulling '{name}' (mogelijk: {allowed}).",
        "en": "Unknown completion '{name}' (one of: {allowed}).",
    },
    "rules.unknown_score": {
        "fr": "Score inconnu « {name} » (possibles : {allowed}).",
        "nl": "Onbekende score '{name}' (mogelijk: {allowed}).",
        "en": "Unknown score '{name}' (one of: {allowed}).",
    },
    "rules.unknown_tie_breaking": {
        "fr": "Règle de départage inconnue « {name} ».",
        "nl": "Onbekende regel voor gelijke stand '{name}'.",
        "en": "Unknown tie-breaking rule '{name}'.",
    },
    "rules.missing_threshold": {
        "fr": "La règle greedy-threshold demande un seuil minimal de score par projet.",
        "nl": "De regel greedy-threshold vereist een minimale score per project.",
        "en": "The greedy-threshold rule needs a minimum project score.",
    },
    # why a project won or lost
    "rules.reason.selected": {"fr": "Retenu", "nl": "Gekozen", "en": "Selected"},
    "rules.reason.over_budget": {
        "fr": "Ne rentre plus dans le budget restant",
        "nl": "Past niet meer in het resterende budget",
        "en": "No longer fits in the remaining budget",
    },
    "rules.reason.after_stop": {
        "fr": "Non examiné : le dépouillement s'arrête au premier projet qui ne rentre pas",
        "nl": "Niet bekeken: de telling stopt bij het eerste project dat niet past",
        "en": "Not considered: counting stops at the first project that does not fit",
    },
    "rules.reason.below_threshold": {
        "fr": "Sous le seuil minimal de voix",
        "nl": "Onder de minimumdrempel van stemmen",
        "en": "Below the minimum score threshold",
    },
    "rules.reason.no_supporters": {
        "fr": "Aucun soutien",
        "nl": "Geen steun",
        "en": "No supporters",
    },
    "rules.reason.unaffordable": {
        "fr": "Ses partisans n'avaient plus assez d'argent pour le payer",
        "nl": "Zijn voorstanders hadden niet meer genoeg geld om het te betalen",
        "en": "Its supporters no longer had enough money to pay for it",
    },
    "rules.reason.not_reached": {
        "fr": "Non atteint par la règle",
        "nl": "Niet bereikt door de regel",
        "en": "Not reached by the rule",
    },
    "rules.reason.completion": {
        "fr": "Ajouté par la complétion avec le budget restant",
        "nl": "Toegevoegd door de aanvulling met het resterende budget",
        "en": "Added by the completion with the remaining budget",
    },
    "rules.explain.greedy": {
        "fr": "Budget restant quand le projet a été examiné : {budget_left}",
        "nl": "Resterend budget toen het project werd bekeken: {budget_left}",
        "en": "Budget left when the project was reached: {budget_left}",
    },
    "rules.explain.mes": {
        "fr": "Prix par partisan : {price} ; argent restant des partisans : {money} ; tour {round}",
        "nl": "Prijs per voorstander: {price}; geld over bij voorstanders: {money}; ronde {round}",
        "en": "Price per supporter: {price}; money its supporters had left: {money}; round {round}",
    },
    # Pabulib files
    "pabulib.unreadable": {
        "fr": "Impossible de lire le fichier {path} : {reason}",
        "nl": "Kan het bestand {path} niet lezen: {reason}",
        "en": "Cannot read the file {path}: {reason}",
    },
    "pabulib.outside_section": {
        "fr": "Ligne {line} : texte hors des sections META, PROJECTS et VOTES.",
        "nl": "Regel {line}: tekst buiten de secties META, PROJECTS en VOTES.",
        "en": "Line {line}: text outside the META, PROJECTS and VOTES sections.",
    },
    "pabulib.missing_section": {
        "fr": "Section {section} absente (ligne {line}).",
        "nl": "Sectie {section} ontbreekt (regel {line}).",
        "en": "Section {section} is missing (line {line}).",
    },
    "pabulib.missing_header": {
        "fr": "Ligne {line} : en-tête absent (colonne {column} attendue).",
        "nl": "Regel {line}: koptekst ontbreekt (kolom {column} verwacht).",
        "en": "Line {line}: header missing (column {column} expected).",
    },
    "pabulib.missing_column": {
        "fr": "Ligne {line} : colonne {column} absente.",
        "nl": "Regel {line}: kolom {column} ontbreekt.",
        "en": "Line {line}: column {column} is missing.",
    },
    "pabulib.missing_meta": {
        "fr": "Ligne {line} : la clé META {key} est absente.",
        "nl": "Regel {line}: de META-sleutel {key} ontbreekt.",
        "en": "Line {line}: META key {key} is missing.",
    },
    "pabulib.bad_row": {
        "fr": "Ligne {line} : {found} champs au lieu de {expected}.",
        "nl": "Regel {line}: {found} velden in plaats van {expected}.",
        "en": "Line {line}: {found} fields instead of {expected}.",
    },
    "pabulib.duplicate_id": {
        "fr": "Ligne {line} : l'identifiant {id} apparaît deux fois.",
        "nl": "Regel {line}: de identificatie {id} komt twee keer voor.",
        "en": "Line {line}: the id {id} appears twice.",
    },
    "pabulib.bad_number": {
        "fr": "Ligne {line} : « {value} » n'est pas un nombre valide pour {field}.",
        "nl": "Regel {line}: '{value}' is geen geldig getal voor {field}.",
        "en": "Line {line}: '{value}' is not a valid number for {field}.",
    },
    "pabulib.unknown_vote_type": {
        "fr": "Ligne {line} : type de vote inconnu « {vote_type} ».",
        "nl": "Regel {line}: onbekend stemtype '{vote_type}'.",
        "en": "Line {line}: unknown vote type '{vote_type}'.",
    },
    "pabulib.unknown_project": {
        "fr": "Ligne {line} : le vote cite le projet inconnu {project}.",
        "nl": "Regel {line}: de stem noemt het onbekende project {project}.",
        "en": "Line {line}: the vote names the unknown project {project}.",
    },
    "pabulib.duplicate_project": {
        "fr": "Ligne {line} : le vote cite deux fois le même projet.",
        "nl": "Regel {line}: de stem noemt twee keer hetzelfde project.",
        "en": "Line {line}: the vote names the same project twice.",
    },
    "pabulib.points_mismatch": {
        "fr": "Ligne {line} : {votes} projets mais {points} nombres de points.",
        "nl": "Regel {line}: {votes} projecten maar {points} puntenaantallen.",
        "en": "Line {line}: {votes} projects but {points} point values.",
    },
}
