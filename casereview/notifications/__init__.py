"""Telling people when they must act, by email (Django's email framework).

Four events, each raised by the one service that performs it: cases assigned to an
inspector (`cases_assign`, the case import, the admin's case form), a case returned for
rework with the lead's reason, cases sent for second marking, and the last case of a
sample submitted (to the inspection's leads). An email names the case by its reference
and links to it; it never carries evidence notes.

Emails are sent after the transaction commits (`transaction.on_commit`): a refused or
rolled-back action sends nothing, and a failure to send is logged and never undoes the
action. Nobody without an email address, inactive, or who turned emails off
(`NotificationPreference`, the *Email notifications* page) is sent anything.
"""
