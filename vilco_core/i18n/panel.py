"""Catalogue of citizen panel sessions: the facilitator's page, the member's phone, the
projector, and the evaluation of the process."""

from __future__ import annotations


def _m(fr: str, nl: str, en: str) -> dict[str, str]:
    return {"fr": fr, "nl": nl, "en": en}


MESSAGES: dict[str, dict[str, str]] = {
    "nav.sessions": _m("Sessions de panel", "Panelsessies", "Panel sessions"),
    "nav.panel": _m("Panel citoyen", "Burgerpanel", "Citizen panel"),
    "nav.projector": _m("Projecteur", "Projector", "Projector"),
    "nav.evaluate": _m("Évaluer", "Evalueren", "Evaluate"),
    "nav.evaluations": _m("Évaluations", "Evaluaties", "Evaluations"),
    # facilitator
    "panel.sessions_title": _m(
        "Sessions du panel citoyen", "Sessies van het burgerpanel", "Citizen panel sessions"
    ),
    "panel.session": _m("Session", "Sessie", "Session"),
    "panel.new_session": _m("➕ Nouvelle session", "➕ Nieuwe sessie", "➕ New session"),
    "panel.title_field": _m("Titre de la session", "Titel van de sessie", "Session title"),
    "panel.members_from": _m("Membres", "Leden", "Members"),
    "panel.members_typed": _m(
        "Liste ci-dessous (un membre par ligne)",
        "Lijst hieronder (één lid per regel)",
        "List below (one member a line)",
    ),
    "panel.members_list": _m(
        "Membres (un par ligne : identifiant ou nom)",
        "Leden (één per regel: id of naam)",
        "Members (one a line: id or name)",
    ),
    "panel.create": _m(
        "Créer la session et ses codes",
        "Sessie en codes aanmaken",
        "Create the session and its codes",
    ),
    "panel.codes_once": _m(
        "{count} codes personnels créés. Ils ne sont affichés qu'ici, maintenant : "
        "téléchargez-les ou imprimez les cartes.",
        "{count} persoonlijke codes aangemaakt. Ze worden alleen hier en nu getoond: "
        "download ze of druk de kaarten af.",
        "{count} personal codes created. They are shown only here, now: download them or "
        "print the cards.",
    ),
    "panel.codes_csv": _m("Codes (CSV)", "Codes (CSV)", "Codes (CSV)"),
    "panel.codes_cards": _m(
        "Cartes à imprimer (PDF)", "Kaarten om af te drukken (PDF)", "Cards to print (PDF)"
    ),
    "panel.codes_show": _m(
        "Montrer les QR codes à l'écran",
        "QR-codes op het scherm tonen",
        "Show the QR codes on screen",
    ),
    "panel.members": _m("Membres", "Leden", "Members"),
    "panel.member": _m("Membre", "Lid", "Member"),
    "panel.joined": _m("Connecté", "Aangemeld", "Joined"),
    "panel.joined_yes": _m("oui", "ja", "yes"),
    "panel.joined_no": _m("pas encore", "nog niet", "not yet"),
    "panel.present": _m("Membres présents", "Aanwezige leden", "Members present"),
    "panel.rounds": _m("Tours de vote", "Stemrondes", "Voting rounds"),
    "panel.no_rounds": _m("Aucun tour pour l'instant.", "Nog geen ronde.", "No round yet."),
    "panel.next_round": _m(
        "Ouvrir le tour {number}", "Ronde {number} openen", "Open round {number}"
    ),
    "panel.kind": _m("Type de bulletin", "Soort stembiljet", "Ballot type"),
    "panel.kind_knapsack": _m("Répartir le budget", "Budget verdelen", "Allocate the budget"),
    "panel.kind_cumulative": _m("Points", "Punten", "Points"),
    "panel.kind_approval": _m("Approbation", "Goedkeuring", "Approval"),
    "panel.projects": _m(
        "Projets soumis au vote", "Projecten in de stemming", "Projects on the ballot"
    ),
    "panel.rule": _m("Règle annoncée", "Aangekondigde regel", "Announced rule"),
    "panel.points": _m(
        "Points par membre (bulletin à points)",
        "Punten per lid (puntenstembiljet)",
        "Points per member (points ballot)",
    ),
    "panel.open_round": _m("Ouvrir le tour", "Ronde openen", "Open the round"),
    "panel.round_open": _m(
        "Le tour {number} est ouvert : {ballots} bulletin(s) reçu(s).",
        "Ronde {number} is open: {ballots} stembiljet(ten) ontvangen.",
        "Round {number} is open: {ballots} ballot(s) received.",
    ),
    "panel.close_round": _m(
        "Clore le tour {number}", "Ronde {number} sluiten", "Close round {number}"
    ),
    "panel.round": _m("Tour {number}", "Ronde {number}", "Round {number}"),
    "panel.round_meta": _m(
        "{ballots} bulletins · {kind} · {rule}",
        "{ballots} stembiljetten · {kind} · {rule}",
        "{ballots} ballots · {kind} · {rule}",
    ),
    "panel.spent": _m("{spent} sur {budget}", "{spent} van {budget}", "{spent} of {budget}"),
    "panel.compare": _m(
        "Du tour {before} au tour {after}",
        "Van ronde {before} naar ronde {after}",
        "From round {before} to round {after}",
    ),
    "panel.project": _m("Projet", "Project", "Project"),
    "panel.score_before": _m("Avant", "Voor", "Before"),
    "panel.score_after": _m("Après", "Na", "After"),
    "panel.change": _m("Changement", "Wijziging", "Change"),
    "panel.entered": _m("entre", "komt erbij", "enters"),
    "panel.left": _m("sort", "valt af", "leaves"),
    "panel.finalise_round": _m(
        "Recommandation du panel : le résultat du",
        "Aanbeveling van het panel: de uitslag van",
        "The panel's recommendation: the result of",
    ),
    "panel.finalise": _m(
        "Finaliser la recommandation", "Aanbeveling vastleggen", "Finalise the recommendation"
    ),
    "panel.finalised": _m(
        "Recommandation finalisée : résultat du tour {number}.",
        "Aanbeveling vastgelegd: uitslag van ronde {number}.",
        "Recommendation finalised: the result of round {number}.",
    ),
    "panel.open_projector": _m(
        "Ouvrir la vue projecteur", "Projectorweergave openen", "Open the projector view"
    ),
    # member's phone
    "panel.member_title": _m("Panel citoyen", "Burgerpanel", "Citizen panel"),
    "panel.enter_code": _m("Votre code personnel", "Uw persoonlijke code", "Your personal code"),
    "panel.waiting_round": _m(
        "En attente du prochain tour de vote…",
        "Wachten op de volgende stemronde…",
        "Waiting for the next voting round…",
    ),
    "panel.send_vote": _m("Envoyer mon vote", "Mijn stem versturen", "Send my vote"),
    "panel.change_vote": _m("Remplacer mon vote", "Mijn stem vervangen", "Replace my vote"),
    "panel.recorded": _m(
        "Votre vote du tour {number} est enregistré.",
        "Uw stem in ronde {number} is geregistreerd.",
        "Your vote in round {number} is recorded.",
    ),
    "panel.change_until_close": _m(
        "Vous pouvez le modifier jusqu'à la clôture du tour : le dernier envoi compte.",
        "U kunt hem wijzigen tot de ronde sluit: de laatste telt.",
        "You may change it until the round closes: the last one counts.",
    ),
    "panel.round_closed_wait": _m(
        "Le tour {number} est clos. Le prochain s'affichera ici.",
        "Ronde {number} is gesloten. De volgende verschijnt hier.",
        "Round {number} is closed. The next one will appear here.",
    ),
    # projector
    "panel.projector_title": _m("Vue projecteur", "Projectorweergave", "Projector view"),
    "panel.projector_help": _m(
        "Choisissez ce qu'il faut projeter (plein écran : F11).",
        "Kies wat er geprojecteerd wordt (volledig scherm: F11).",
        "Choose what to project (full screen: F11).",
    ),
    "panel.project_vote": _m(
        "Résultats du vote : {name}", "Uitslag van de stemming: {name}", "Vote results: {name}"
    ),
    "panel.project_session": _m(
        "Session du panel : {title}", "Panelsessie: {title}", "Panel session: {title}"
    ),
    "panel.provisional": _m("PROVISOIRE", "VOORLOPIG", "PROVISIONAL"),
    "panel.final": _m("DÉFINITIF", "DEFINITIEF", "FINAL"),
    "panel.ballots": _m("Bulletins reçus", "Ontvangen stemmen", "Ballots received"),
    "panel.scores": _m("Voix par projet", "Stemmen per project", "Votes per project"),
    "panel.winners": _m("Lauréats", "Winnaars", "Winners"),
    "panel.selected": _m("retenu", "gekozen", "selected"),
    "panel.not_selected": _m("non retenu", "niet gekozen", "not selected"),
    "panel.allocation": _m("Budget", "Budget", "Budget"),
    "panel.budget_line": _m(
        "{spent} attribués sur {budget}",
        "{spent} toegekend van {budget}",
        "{spent} allocated of {budget}",
    ),
    "panel.scan_to_join": _m(
        "Membres : scannez et tapez votre code",
        "Leden: scan en typ uw code",
        "Members: scan and type your code",
    ),
    "panel.site": _m("Lieu", "Plaats", "Site"),
    "panel.phone": _m("Téléphone", "Telefoon", "Phone"),
    "panel.paper": _m("Papier", "Papier", "Paper"),
    "panel.total": _m("Total", "Totaal", "Total"),
    "panel.no_site": _m("(sans lieu)", "(zonder plaats)", "(no site)"),
    # errors
    "panel.session_not_found": _m(
        "Session {id} introuvable.", "Sessie {id} niet gevonden.", "Session {id} not found."
    ),
    "panel.round_not_found": _m(
        "Tour {id} introuvable.", "Ronde {id} niet gevonden.", "Round {id} not found."
    ),
    "panel.members_invalid": _m(
        "Donnez entre 1 et {maximum} membres, chacun une seule fois.",
        "Geef tussen 1 en {maximum} leden op, elk één keer.",
        "Give between 1 and {maximum} members, each once.",
    ),
    "panel.title_missing": _m(
        "Donnez un titre à la session.", "Geef de sessie een titel.", "Give the session a title."
    ),
    "panel.rule_unknown": _m(
        "Règle inconnue : {rule}.", "Onbekende regel: {rule}.", "Unknown rule: {rule}."
    ),
    "panel.session_final": _m(
        "La recommandation de cette session est déjà finalisée.",
        "De aanbeveling van deze sessie is al vastgelegd.",
        "This session's recommendation is already finalised.",
    ),
    "panel.round_still_open": _m(
        "Le tour {number} est encore ouvert : clôturez-le d'abord.",
        "Ronde {number} is nog open: sluit ze eerst.",
        "Round {number} is still open: close it first.",
    ),
    "panel.no_projects": _m(
        "Choisissez au moins un projet.",
        "Kies minstens één project.",
        "Choose at least one project.",
    ),
    "panel.code_unknown": _m(
        "Ce code ne correspond à aucun membre d'un panel.",
        "Deze code hoort bij geen enkel panellid.",
        "This code belongs to no panel member.",
    ),
    "panel.code_other_session": _m(
        "Ce code appartient à une autre session.",
        "Deze code hoort bij een andere sessie.",
        "This code belongs to another session.",
    ),
    "panel.round_closed": _m(
        "Le tour {number} est clos : votre vote n'a pas été enregistré.",
        "Ronde {number} is gesloten: uw stem werd niet geregistreerd.",
        "Round {number} is closed: your vote was not recorded.",
    ),
    # evaluation
    "eval.title": _m("Évaluez le processus", "Evalueer het proces", "Evaluate the process"),
    "eval.invite": _m(
        "Donner votre avis sur la session",
        "Uw mening over de sessie geven",
        "Give your view of the session",
    ),
    "eval.q1": _m(
        "J'ai compris le cadre, le budget et les règles.",
        "Ik begreep het kader, het budget en de regels.",
        "I understood the framework, the budget and the rules.",
    ),
    "eval.q2": _m(
        "J'ai pu m'exprimer et être entendu·e.",
        "Ik kon mijn mening geven en werd gehoord.",
        "I could speak and was heard.",
    ),
    "eval.q3": _m(
        "Le processus était équitable.", "Het proces was eerlijk.", "The process was fair."
    ),
    "eval.q4": _m(
        "J'ai confiance dans le résultat.",
        "Ik heb vertrouwen in het resultaat.",
        "I trust the result.",
    ),
    "eval.likert_1": _m("Pas du tout d'accord", "Helemaal niet akkoord", "Strongly disagree"),
    "eval.likert_2": _m("Pas d'accord", "Niet akkoord", "Disagree"),
    "eval.likert_3": _m("Neutre", "Neutraal", "Neutral"),
    "eval.likert_4": _m("D'accord", "Akkoord", "Agree"),
    "eval.likert_5": _m("Tout à fait d'accord", "Helemaal akkoord", "Strongly agree"),
    "eval.comment": _m(
        "Un commentaire ? (facultatif)", "Een opmerking? (optioneel)", "A comment? (optional)"
    ),
    "eval.send": _m("Envoyer", "Versturen", "Send"),
    "eval.thanks": _m(
        "Merci pour votre évaluation.",
        "Bedankt voor uw evaluatie.",
        "Thank you for your evaluation.",
    ),
    "eval.invalid": _m("Réponses invalides.", "Ongeldige antwoorden.", "Invalid answers."),
    "eval.empty": _m(
        "Répondez à au moins une question ou laissez un commentaire.",
        "Beantwoord minstens één vraag of laat een opmerking na.",
        "Answer at least one question or leave a comment.",
    ),
    "eval.results_title": _m(
        "Évaluations du processus", "Evaluaties van het proces", "Evaluations of the process"
    ),
    "eval.respondent": _m("Répondants", "Respondenten", "Respondents"),
    "eval.who_all": _m("Tous", "Iedereen", "Everyone"),
    "eval.who_member": _m("Membres du panel", "Panelleden", "Panel members"),
    "eval.who_resident": _m("Habitants", "Bewoners", "Residents"),
    "eval.answers": _m("Réponses", "Antwoorden", "Answers"),
    "eval.none": _m(
        "Aucune évaluation pour l'instant.", "Nog geen evaluaties.", "No evaluation yet."
    ),
    "eval.count": _m("Part des réponses", "Aandeel van de antwoorden", "Share of answers"),
    "eval.question": _m("Question", "Vraag", "Question"),
    "eval.mean": _m("Moyenne (1-5)", "Gemiddelde (1-5)", "Mean (1-5)"),
    "eval.comments": _m("Commentaires", "Opmerkingen", "Comments"),
    "eval.day": _m("Jour", "Dag", "Day"),
    "eval.csv": _m("Télécharger (CSV)", "Downloaden (CSV)", "Download (CSV)"),
    # reissuing a lost member code
    "panel.code_replaced": _m(
        "Ce code a été remplacé par un nouveau code. Utilisez le nouveau code reçu de l'animateur.",
        "Deze code is vervangen door een nieuwe code. Gebruik de nieuwe code die u van de "
        "begeleider kreeg.",
        "This code was replaced by a new one. Use the new code the facilitator gave you.",
    ),
    "panel.member_not_found": _m(
        "Aucun membre de panel n'a le numéro {id}.",
        "Er is geen panellid met nummer {id}.",
        "There is no panel member number {id}.",
    ),
    "panel.reissue_title": _m(
        "Code perdu ? Remplacer le code d'un membre",
        "Code kwijt? De code van een lid vervangen",
        "Lost code? Replace a member's code",
    ),
    "panel.reissue_member": _m("Membre", "Lid", "Member"),
    "panel.reissue_button": _m(
        "Annuler son code et en créer un nouveau",
        "De code intrekken en een nieuwe aanmaken",
        "Void the code and issue a new one",
    ),
    "panel.reissue_help": _m(
        "Le membre garde ses votes du tour en cours et peut les changer avec le nouveau code ; "
        "l'ancien code est refusé.",
        "Het lid behoudt zijn stemmen van de lopende ronde en kan ze met de nieuwe code wijzigen; "
        "de oude code wordt geweigerd.",
        "The member keeps their ballots of the current round and can change them with the new "
        "code; the old code is refused.",
    ),
    "panel.reissued_once": _m(
        "Nouveau code pour {member} : {code}. Il n'est affiché qu'ici, maintenant.",
        "Nieuwe code voor {member}: {code}. Hij wordt alleen hier en nu getoond.",
        "New code for {member}: {code}. It is shown only here, now.",
    ),
    "panel.reissued_link": _m("Lien du membre", "Link van het lid", "The member's link"),
    "panel.reissued_done": _m("C'est noté, masquer", "Genoteerd, verbergen", "Noted, hide it"),
    # one evaluation per person
    "eval.member_code_needed": _m(
        "Entrez votre code de membre du panel pour donner votre avis.",
        "Voer uw code als panellid in om uw mening te geven.",
        "Enter your panel member code to give your view.",
    ),
    "eval.change": _m("Modifier mes réponses", "Mijn antwoorden wijzigen", "Change my answers"),
    "eval.replaces": _m(
        "Si vous répondez à nouveau, vos nouvelles réponses remplacent les précédentes.",
        "Als u opnieuw antwoordt, vervangen uw nieuwe antwoorden de vorige.",
        "If you answer again, your new answers replace the previous ones.",
    ),
    # the public recommendation page
    "nav.recommendation": _m(
        "Recommandations des panels", "Aanbevelingen van de panels", "Panel recommendations"
    ),
    "rec.title": _m(
        "Recommandations des panels citoyens",
        "Aanbevelingen van de burgerpanels",
        "Citizen panels' recommendations",
    ),
    "rec.none": _m(
        "Aucun panel n'a encore finalisé sa recommandation.",
        "Nog geen enkel panel heeft zijn aanbeveling afgerond.",
        "No panel has finalised its recommendation yet.",
    ),
    "rec.pick": _m("Recommandation", "Aanbeveling", "Recommendation"),
    "rec.bad_link": _m(
        "Ce lien ne mène à aucune recommandation publiée : choisissez-en une dans la liste.",
        "Deze link leidt naar geen enkele gepubliceerde aanbeveling: kies er een uit de lijst.",
        "This link leads to no published recommendation: pick one from the list.",
    ),
    "rec.meta": _m(
        "{process} · finalisée le {day} · tour {number} · règle : {rule}",
        "{process} · afgerond op {day} · ronde {number} · regel: {rule}",
        "{process} · finalised on {day} · round {number} · rule: {rule}",
    ),
    "rec.projects": _m("Projets recommandés", "Aanbevolen projecten", "Recommended projects"),
    "rec.project": _m("Projet", "Project", "Project"),
    "rec.cost": _m("Coût", "Kosten", "Cost"),
    "rec.place": _m("Lieu", "Plaats", "Place"),
    "rec.total": _m(
        "Total : {total} sur un budget de {budget}",
        "Totaal: {total} van een budget van {budget}",
        "Total: {total} of a budget of {budget}",
    ),
    "rec.empty": _m(
        "Le panel n'a recommandé aucun projet.",
        "Het panel heeft geen enkel project aanbevolen.",
        "The panel recommended no project.",
    ),
    "rec.map": _m("Sur la carte", "Op de kaart", "On the map"),
    "panel.recommendation_not_found": _m(
        "La session {id} n'a pas de recommandation finalisée.",
        "Sessie {id} heeft geen afgeronde aanbeveling.",
        "Session {id} has no finalised recommendation.",
    ),
}
