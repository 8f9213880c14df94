"""Catalogue of voting on site: posters, code cards, codes, the phone vote, support signatures,
paper ballots and tallies."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # posters and cards (printed: French and Dutch side by side)
    "poster.heading_vote": {
        "fr": "Votre avis sur ce projet",
        "nl": "Uw mening over dit project",
        "en": "Your say on this project",
    },
    "poster.heading_sign": {
        "fr": "Soutenez ce projet citoyen",
        "nl": "Steun dit burgerproject",
        "en": "Support this citizen project",
    },
    "poster.cost": {"fr": "Coût : {cost}", "nl": "Kostprijs: {cost}", "en": "Cost: {cost}"},
    "poster.dates_vote": {
        "fr": "Vote du {start} au {end}",
        "nl": "Stemming van {start} tot {end}",
        "en": "Vote from {start} to {end}",
    },
    "poster.dates_sign": {
        "fr": "Soutiens du {start} au {end}",
        "nl": "Steunbetuigingen van {start} tot {end}",
        "en": "Support from {start} to {end}",
    },
    "poster.scan_vote": {
        "fr": "Scannez pour voter",
        "nl": "Scan om te stemmen",
        "en": "Scan to vote",
    },
    "poster.scan_sign": {
        "fr": "Scannez pour signer",
        "nl": "Scan om te tekenen",
        "en": "Scan to sign",
    },
    "poster.footer_vote": {
        "fr": "Une voix par habitant : le code de votre carte de vote vaut pour le téléphone "
        "comme pour le papier.",
        "nl": "Eén stem per bewoner: de code van uw stemkaart geldt op de telefoon en op papier.",
        "en": "One vote per resident: your voting card's code works on the phone and on paper.",
    },
    "poster.footer_sign": {
        "fr": "Nom et code postal suffisent ; chaque personne compte une fois.",
        "nl": "Naam en postcode volstaan; elke persoon telt één keer.",
        "en": "Name and postcode are enough; each person counts once.",
    },
    "card.title": {
        "fr": "Votre code de vote personnel",
        "nl": "Uw persoonlijke stemcode",
        "en": "Your personal voting code",
    },
    "card.howto": {
        "fr": "Scannez le QR ou tapez le code. Une seule fois.",
        "nl": "Scan de QR of typ de code. Eén keer.",
        "en": "Scan the QR or type the code. Once only.",
    },
    # codes (staff)
    "nav.codes": {"fr": "Codes de vote", "nl": "Stemcodes", "en": "Voting codes"},
    "nav.posters": {"fr": "Affiches", "nl": "Affiches", "en": "Posters"},
    "codes.title": {
        "fr": "Codes de vote, cartes et affiches",
        "nl": "Stemcodes, kaarten en affiches",
        "en": "Voting codes, cards and posters",
    },
    "codes.batches": {"fr": "Lots de codes", "nl": "Codereeksen", "en": "Code batches"},
    "codes.none": {
        "fr": "Aucun code émis pour ce processus.",
        "nl": "Nog geen codes uitgegeven voor dit proces.",
        "en": "No code issued for this process yet.",
    },
    "codes.issue": {"fr": "Émettre un lot", "nl": "Een reeks uitgeven", "en": "Issue a batch"},
    "codes.count": {"fr": "Nombre de codes", "nl": "Aantal codes", "en": "Number of codes"},
    "codes.label": {"fr": "Libellé du lot", "nl": "Naam van de reeks", "en": "Batch label"},
    "codes.issue_button": {"fr": "Émettre", "nl": "Uitgeven", "en": "Issue"},
    "codes.issued": {
        "fr": "{count} codes émis (lot {batch}). Téléchargez-les maintenant : "
        "ils ne pourront plus être relus.",
        "nl": "{count} codes uitgegeven (reeks {batch}). Download ze nu: ze kunnen "
        "nadien niet meer gelezen worden.",
        "en": "{count} codes issued (batch {batch}). Download them now: they cannot be "
        "read back later.",
    },
    "codes.download_csv": {
        "fr": "Télécharger les codes (CSV)",
        "nl": "Codes downloaden (CSV)",
        "en": "Download the codes (CSV)",
    },
    "codes.download_cards": {
        "fr": "Télécharger les cartes ({paper}, PDF)",
        "nl": "Kaarten downloaden ({paper}, PDF)",
        "en": "Download the cards ({paper}, PDF)",
    },
    "codes.void_batch": {
        "fr": "Annuler les codes inutilisés du lot",
        "nl": "Ongebruikte codes van de reeks annuleren",
        "en": "Void the batch's unused codes",
    },
    "codes.voided": {
        "fr": "{count} code(s) annulé(s).",
        "nl": "{count} code(s) geannuleerd.",
        "en": "{count} code(s) voided.",
    },
    "codes.void_one": {
        "fr": "Annuler un code (carte perdue)",
        "nl": "Eén code annuleren (verloren kaart)",
        "en": "Void one code (lost card)",
    },
    "codes.void_button": {"fr": "Annuler ce code", "nl": "Code annuleren", "en": "Void this code"},
    "codes.not_voided": {
        "fr": "Ce code était déjà utilisé ou annulé.",
        "nl": "Deze code was al gebruikt of geannuleerd.",
        "en": "This code was already used or void.",
    },
    "codes.col_batch": {"fr": "Lot", "nl": "Reeks", "en": "Batch"},
    "codes.col_issued": {"fr": "Émis le", "nl": "Uitgegeven op", "en": "Issued on"},
    "codes.col_by": {"fr": "Par", "nl": "Door", "en": "By"},
    "codes.col_unused": {"fr": "Inutilisés", "nl": "Ongebruikt", "en": "Unused"},
    "codes.col_spent": {"fr": "Utilisés", "nl": "Gebruikt", "en": "Used"},
    "codes.col_void": {"fr": "Annulés", "nl": "Geannuleerd", "en": "Void"},
    "codes.posters": {"fr": "Affiches par site", "nl": "Affiches per locatie", "en": "Posters"},
    "codes.site": {"fr": "Site", "nl": "Locatie", "en": "Site"},
    "codes.paper": {"fr": "Format", "nl": "Formaat", "en": "Paper"},
    "codes.target": {"fr": "Le QR mène à", "nl": "De QR leidt naar", "en": "The QR leads to"},
    "codes.target_vote": {"fr": "Le vote", "nl": "De stemming", "en": "The vote"},
    "codes.target_sign": {
        "fr": "La signature de soutien",
        "nl": "De steunbetuiging",
        "en": "The support form",
    },
    "codes.download_poster": {
        "fr": "Télécharger l'affiche (PDF)",
        "nl": "Affiche downloaden (PDF)",
        "en": "Download the poster (PDF)",
    },
    "codes.no_sites": {
        "fr": "Aucun site d'affichage pour ce processus.",
        "nl": "Geen affichagelocatie voor dit proces.",
        "en": "No poster site for this process.",
    },
    # errors
    "errors.code_count_invalid": {
        "fr": "Le nombre de codes doit être compris entre 1 et {maximum}.",
        "nl": "Het aantal codes moet tussen 1 en {maximum} liggen.",
        "en": "The number of codes must be between 1 and {maximum}.",
    },
    "errors.batch_not_found": {
        "fr": "Le lot de codes {id} n'existe pas.",
        "nl": "Codereeks {id} bestaat niet.",
        "en": "Code batch {id} does not exist.",
    },
    "errors.project_not_found": {
        "fr": "Ce projet n'existe pas.",
        "nl": "Dit project bestaat niet.",
        "en": "This project does not exist.",
    },
    "errors.support_closed": {
        "fr": "La récolte de soutiens pour ce projet n'est pas ouverte.",
        "nl": "De inzameling van steunbetuigingen voor dit project is niet open.",
        "en": "Support collection for this project is not open.",
    },
    "errors.postcode_invalid": {
        "fr": "Le code postal doit compter quatre chiffres (par ex. 1060).",
        "nl": "De postcode moet vier cijfers tellen (bv. 1060).",
        "en": "The postcode must have four digits (e.g. 1060).",
    },
    "errors.email_invalid": {
        "fr": "Cette adresse e-mail n'est pas valide.",
        "nl": "Dit e-mailadres is niet geldig.",
        "en": "This email address is not valid.",
    },
    "errors.channel_invalid": {
        "fr": "Canal inconnu.",
        "nl": "Onbekend kanaal.",
        "en": "Unknown channel.",
    },
    "errors.file_exists": {
        "fr": "Le fichier {path} existe déjà : rien n'a été écrit ni émis.",
        "nl": "Het bestand {path} bestaat al: er werd niets geschreven of uitgegeven.",
        "en": "The file {path} already exists: nothing was written or issued.",
    },
    "field.signer_name": {"fr": "Nom et prénom", "nl": "Naam en voornaam", "en": "Full name"},
    # the phone vote
    "nav.vote": {"fr": "Voter", "nl": "Stemmen", "en": "Vote"},
    "vote.bad_link": {
        "fr": "Ce lien de vote n'est pas reconnu. Tapez le code imprimé sur votre carte de vote.",
        "nl": "Deze stemlink wordt niet herkend. Typ de code die op uw stemkaart staat.",
        "en": "This voting link is not recognised. Type the code printed on your voting card.",
    },
    "vote.code_invalid": {
        "fr": "Ce code n'a pas le bon format : 16 lettres et chiffres, "
        "par ex. 7K3M-Q9TX-4HBR-2WZP.",
        "nl": "Deze code heeft niet het juiste formaat: 16 letters en cijfers, "
        "bv. 7K3M-Q9TX-4HBR-2WZP.",
        "en": "This code is not in the right format: 16 letters and digits, "
        "e.g. 7K3M-Q9TX-4HBR-2WZP.",
    },
    "vote.code_unknown": {
        "fr": "Ce code est inconnu. Vérifiez les lettres de votre carte.",
        "nl": "Deze code is onbekend. Controleer de letters op uw kaart.",
        "en": "This code is unknown. Check the letters on your card.",
    },
    "vote.code_spent": {
        "fr": "Ce code a déjà été utilisé : un seul vote par carte.",
        "nl": "Deze code werd al gebruikt: één stem per kaart.",
        "en": "This code has already been used: one vote per card.",
    },
    "vote.code_void": {
        "fr": "Ce code a été annulé. Adressez-vous au stand ou à la commune.",
        "nl": "Deze code werd geannuleerd. Wend u tot de stand of de gemeente.",
        "en": "This code has been voided. Ask at the stand or the commune.",
    },
    "vote.code_other_process": {
        "fr": "Ce code vaut pour un autre vote que celui de ce lieu.",
        "nl": "Deze code geldt voor een andere stemming dan die van deze plek.",
        "en": "This code is for another vote than the one at this place.",
    },
    "vote.closed": {
        "fr": "Le vote n'est pas ouvert aujourd'hui.",
        "nl": "De stemming is vandaag niet open.",
        "en": "Voting is not open today.",
    },
    "vote.enter_code": {
        "fr": "Code de votre carte de vote",
        "nl": "Code van uw stemkaart",
        "en": "Code on your voting card",
    },
    "vote.use_code": {"fr": "Continuer", "nl": "Verder", "en": "Continue"},
    "vote.poster_site": {"fr": "Lieu : {site}", "nl": "Plek: {site}", "en": "Place: {site}"},
    "vote.choose_approval": {
        "fr": "Cochez les projets que vous approuvez.",
        "nl": "Vink de projecten aan die u goedkeurt.",
        "en": "Tick the projects you approve.",
    },
    "vote.choose_knapsack": {
        "fr": "Choisissez des projets sans dépasser le budget.",
        "nl": "Kies projecten zonder het budget te overschrijden.",
        "en": "Choose projects without exceeding the budget.",
    },
    "vote.choose_cumulative": {
        "fr": "Répartissez vos points entre les projets.",
        "nl": "Verdeel uw punten over de projecten.",
        "en": "Spread your points over the projects.",
    },
    "vote.budget_used": {
        "fr": "Budget utilisé : {spent} sur {budget}",
        "nl": "Gebruikt budget: {spent} van {budget}",
        "en": "Budget used: {spent} of {budget}",
    },
    "vote.points_used": {
        "fr": "Points donnés : {used} sur {total}",
        "nl": "Gegeven punten: {used} van {total}",
        "en": "Points given: {used} of {total}",
    },
    "vote.submit": {"fr": "Voter", "nl": "Stemmen", "en": "Vote"},
    "vote.confirm_heading": {
        "fr": "Confirmez-vous ce vote ?",
        "nl": "Bevestigt u deze stem?",
        "en": "Do you confirm this vote?",
    },
    "vote.confirm": {"fr": "Confirmer", "nl": "Bevestigen", "en": "Confirm"},
    "vote.change": {"fr": "Modifier", "nl": "Wijzigen", "en": "Change"},
    "vote.thanks": {
        "fr": "Merci, votre vote est enregistré.",
        "nl": "Bedankt, uw stem is geregistreerd.",
        "en": "Thank you, your vote is recorded.",
    },
    "vote.receipt": {
        "fr": "Votre reçu : {receipt}",
        "nl": "Uw ontvangstbewijs: {receipt}",
        "en": "Your receipt: {receipt}",
    },
    "vote.receipt_help": {
        "fr": "Notez ce reçu : il figurera dans la liste publique des bulletins comptés.",
        "nl": "Noteer dit ontvangstbewijs: het staat straks in de openbare lijst van getelde "
        "stembiljetten.",
        "en": "Keep this receipt: it will appear in the public list of counted ballots.",
    },
    "vote.no_projects": {
        "fr": "Ce vote ne compte encore aucun projet.",
        "nl": "Deze stemming telt nog geen projecten.",
        "en": "This vote has no project yet.",
    },
    "vote.title": {"fr": "Votez", "nl": "Stem", "en": "Vote"},
    "vote.other_code": {
        "fr": "Utiliser un autre code",
        "nl": "Een andere code gebruiken",
        "en": "Use another code",
    },
    "vote.paper_line_invalid": {
        "fr": "ligne illisible : « CODE ; REF REF ... » attendu",
        "nl": "onleesbare regel: ‘CODE ; REF REF ...’ verwacht",
        "en": "unreadable line: ‘CODE ; REF REF ...’ expected",
    },
    "errors.recount_invalid": {
        "fr": "Le nombre recompté ne peut pas être négatif.",
        "nl": "Het hertelde aantal kan niet negatief zijn.",
        "en": "The recounted number cannot be negative.",
    },
    # the poll officer's stand and the tallies
    "nav.tallies": {"fr": "Bureau de vote", "nl": "Stembureau", "en": "Polling stand"},
    "tallies.title": {
        "fr": "Bulletins papier et décomptes",
        "nl": "Papieren stembiljetten en tellingen",
        "en": "Paper ballots and tallies",
    },
    "tallies.one": {"fr": "Un bulletin", "nl": "Eén stembiljet", "en": "One ballot"},
    "tallies.batch": {"fr": "Un lot", "nl": "Een reeks", "en": "A batch"},
    "tallies.recount": {"fr": "Recomptage", "nl": "Hertelling", "en": "Recount"},
    "tallies.projects": {
        "fr": "Projets cochés sur le bulletin",
        "nl": "Aangevinkte projecten op het stembiljet",
        "en": "Projects ticked on the ballot",
    },
    "tallies.batch_help": {
        "fr": "Un bulletin par ligne : CODE ; REF REF ... (points : REF:3)",
        "nl": "Eén stembiljet per regel: CODE ; REF REF ... (punten: REF:3)",
        "en": "One ballot a line: CODE ; REF REF ... (points: REF:3)",
    },
    "tallies.save_batch": {
        "fr": "Enregistrer le lot",
        "nl": "Reeks opslaan",
        "en": "Save the batch",
    },
    "tallies.counted": {
        "fr": "Bulletins papier comptés dans l'urne",
        "nl": "Getelde papieren stembiljetten in de urne",
        "en": "Paper ballots counted in the box",
    },
    "tallies.note": {"fr": "Remarque", "nl": "Opmerking", "en": "Note"},
    "tallies.save_recount": {
        "fr": "Enregistrer le recomptage",
        "nl": "Hertelling opslaan",
        "en": "Save the recount",
    },
    "tallies.refused_line": {
        "fr": "Ligne {line} refusée : {message}",
        "nl": "Regel {line} geweigerd: {message}",
        "en": "Line {line} refused: {message}",
    },
    "tallies.stored": {
        "fr": "{count} bulletin(s) papier enregistré(s).",
        "nl": "{count} papieren stembiljet(ten) opgeslagen.",
        "en": "{count} paper ballot(s) stored.",
    },
    "tallies.recorded": {
        "fr": "Recomptage enregistré.",
        "nl": "Hertelling opgeslagen.",
        "en": "Recount recorded.",
    },
    "tallies.reconciliation": {
        "fr": "Rapprochement par site",
        "nl": "Afstemming per locatie",
        "en": "Reconciliation per site",
    },
    "tallies.gaps": {
        "fr": "Écart entre l'urne et les bulletins enregistrés : {sites}",
        "nl": "Verschil tussen urne en opgeslagen stembiljetten: {sites}",
        "en": "Box and stored ballots differ: {sites}",
    },
    "tallies.log": {
        "fr": "Journal des saisies (agent, heure)",
        "nl": "Invoerlogboek (medewerker, tijd)",
        "en": "Entry log (officer, time)",
    },
    "tallies.live": {"fr": "Décomptes en direct", "nl": "Live tellingen", "en": "Live counts"},
    "tallies.total": {"fr": "Bulletins", "nl": "Stembiljetten", "en": "Ballots"},
    "tallies.col_phone": {"fr": "Téléphone", "nl": "Telefoon", "en": "Phone"},
    "tallies.col_paper": {
        "fr": "Papier enregistrés",
        "nl": "Papier opgeslagen",
        "en": "Paper stored",
    },
    "tallies.col_typed": {
        "fr": "Papier saisis (journal)",
        "nl": "Papier ingevoerd (logboek)",
        "en": "Paper typed (log)",
    },
    "tallies.col_recount": {"fr": "Recomptage", "nl": "Hertelling", "en": "Recount"},
    "tallies.col_gap": {"fr": "Écart", "nl": "Verschil", "en": "Difference"},
    "tallies.col_when": {"fr": "Quand", "nl": "Wanneer", "en": "When"},
    "tallies.col_officer": {"fr": "Agent", "nl": "Medewerker", "en": "Officer"},
    "tallies.col_kind": {"fr": "Type", "nl": "Soort", "en": "Kind"},
    "tallies.col_ballots": {"fr": "Bulletins", "nl": "Stembiljetten", "en": "Ballots"},
    "tallies.col_refused": {"fr": "Refusés", "nl": "Geweigerd", "en": "Refused"},
    "tallies.col_votes": {"fr": "Voix", "nl": "Stemmen", "en": "Votes"},
    "tallies.col_channel": {"fr": "Canal", "nl": "Kanaal", "en": "Channel"},
    "tallies.kind_entry": {"fr": "Saisie", "nl": "Invoer", "en": "Entry"},
    "tallies.kind_recount": {"fr": "Recomptage", "nl": "Hertelling", "en": "Recount"},
    "tallies.no_site": {"fr": "Sans site", "nl": "Zonder locatie", "en": "No site"},
    "tallies.channel_phone": {"fr": "Téléphone", "nl": "Telefoon", "en": "Phone"},
    "tallies.channel_paper": {"fr": "Papier", "nl": "Papier", "en": "Paper"},
    "tallies.channel_panel": {"fr": "Panel", "nl": "Panel", "en": "Panel"},
    "tallies.channel_import": {"fr": "Import", "nl": "Import", "en": "Import"},
    "tallies.channel_demo": {"fr": "Démo", "nl": "Demo", "en": "Demo"},
    # support signatures
    "nav.sign": {"fr": "Soutenir un projet", "nl": "Een project steunen", "en": "Support"},
    "sign.title": {
        "fr": "Soutenir un projet citoyen",
        "nl": "Een burgerproject steunen",
        "en": "Support a citizen project",
    },
    "sign.bad_link": {
        "fr": "Ce lien n'est pas reconnu. Choisissez le projet dans la liste.",
        "nl": "Deze link wordt niet herkend. Kies het project in de lijst.",
        "en": "This link is not recognised. Choose the project from the list.",
    },
    "sign.project": {"fr": "Projet", "nl": "Project", "en": "Project"},
    "sign.none": {
        "fr": "Aucun projet n'attend de soutiens en ce moment.",
        "nl": "Er wacht momenteel geen project op steun.",
        "en": "No project is collecting support right now.",
    },
    "sign.name": {"fr": "Nom et prénom", "nl": "Naam en voornaam", "en": "Full name"},
    "sign.postcode": {"fr": "Code postal", "nl": "Postcode", "en": "Postcode"},
    "sign.email": {
        "fr": "E-mail (facultatif, pour recevoir des nouvelles du projet)",
        "nl": "E-mail (facultatief, om nieuws over het project te krijgen)",
        "en": "Email (optional, to get news of the project)",
    },
    "sign.submit": {"fr": "Je soutiens ce projet", "nl": "Ik steun dit project", "en": "I support"},
    "sign.thanks": {
        "fr": "Merci ! Votre soutien est compté.",
        "nl": "Bedankt! Uw steun is geteld.",
        "en": "Thank you! Your support is counted.",
    },
    "sign.duplicate": {
        "fr": "Ce soutien était déjà enregistré : chaque personne compte une fois.",
        "nl": "Deze steun was al geregistreerd: elke persoon telt één keer.",
        "en": "This support was already recorded: each person counts once.",
    },
    "sign.count": {
        "fr": "{count} soutien(s)",
        "nl": "{count} steunbetuiging(en)",
        "en": "{count} signature(s)",
    },
    "sign.missing": {
        "fr": "Encore {missing} soutien(s) pour atteindre le seuil de {threshold}.",
        "nl": "Nog {missing} steunbetuiging(en) om de drempel van {threshold} te halen.",
        "en": "{missing} more signature(s) to reach the threshold of {threshold}.",
    },
    "sign.reached": {
        "fr": "Seuil de {threshold} soutiens atteint : le projet est éligible.",
        "nl": "Drempel van {threshold} steunbetuigingen gehaald: het project komt in aanmerking.",
        "en": "Threshold of {threshold} signatures reached: the project is eligible.",
    },
    "sign.privacy": {
        "fr": "Votre nom et votre code postal sont transmis à la commune pour vérifier les "
        "soutiens ; ils ne sont pas publiés.",
        "nl": "Uw naam en postcode worden aan de gemeente bezorgd om de steun te controleren; "
        "ze worden niet gepubliceerd.",
        "en": "Your name and postcode go to the commune to check support; they are not published.",
    },
    "nav.signatures": {"fr": "Soutiens", "nl": "Steunbetuigingen", "en": "Signatures"},
    "signatures.title": {
        "fr": "Soutiens par projet",
        "nl": "Steunbetuigingen per project",
        "en": "Signatures per project",
    },
    "signatures.col_count": {"fr": "Soutiens", "nl": "Steun", "en": "Signatures"},
    "signatures.col_missing": {"fr": "Manquants", "nl": "Ontbrekend", "en": "Missing"},
    "signatures.col_threshold": {"fr": "Seuil", "nl": "Drempel", "en": "Threshold"},
    "signatures.export": {
        "fr": "Exporter les soutiens pour la commune (CSV)",
        "nl": "Steunbetuigingen exporteren voor de gemeente (CSV)",
        "en": "Export the signatures for the commune (CSV)",
    },
    "signatures.stand": {
        "fr": "Saisie au stand",
        "nl": "Invoer aan de stand",
        "en": "Entry at the stand",
    },
}
