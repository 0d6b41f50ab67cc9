"""Controlled vocabularies shared by the output schemas and the gold files."""

from __future__ import annotations

from enum import Enum


class MeetingStatus(str, Enum):
    held = "held"
    planned = "planned"
    postponed = "postponed"
    cancelled = "cancelled"


class Channel(str, Enum):
    in_person = "in_person"
    phone = "phone"
    video = "video"


class AgreementKind(str, Enum):
    treaty = "treaty"
    memorandum = "memorandum"
    contract = "contract"
    joint_statement = "joint_statement"
    verbal = "verbal"
    proposal = "proposal"
    other = "other"


class AgreementStatus(str, Enum):
    agreed = "agreed"
    signed = "signed"
    in_force = "in_force"
    proposed = "proposed"
    under_negotiation = "under_negotiation"
    disputed = "disputed"
    extended = "extended"
    rejected = "rejected"


class MatchKind(str, Enum):
    exact = "exact"
    fuzzy = "fuzzy"
