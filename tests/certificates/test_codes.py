"""Check codes (S-CERT-2, B-5): random, typed back by people from paper, so every new code reads
back as itself however it is written (lower case, spaces, dashes), a single mistyped character is
always caught by the check character and nearly every swap of neighbours too, before the
database is asked. No 0/O or 1/I, which readers confuse."""

import itertools
import string

from hypothesis import given
from hypothesis import strategies as st

from certificates import codes
from certificates.codes import ALPHABET, BODY_LENGTH, LENGTH, check_character, display, normalise

# One fixed code for the exhaustive checks, so a failure names the code it failed on.
BODY = "K7XQ3MRT9WAHC2P"
CODE = BODY + check_character(BODY)

bodies = st.text(alphabet=ALPHABET, min_size=BODY_LENGTH, max_size=BODY_LENGTH)
valid_codes = bodies.map(lambda body: body + check_character(body))
separators = st.sampled_from(["", " ", "-", "  ", " - ", "\t", "–", "."])


def substitutions(code: str):
    for position, char in itertools.product(range(len(code)), ALPHABET):
        if char != code[position]:
            yield code[:position] + char + code[position + 1 :]


def transpositions(code: str):
    for position in range(len(code) - 1):
        a, b = code[position], code[position + 1]
        if a != b:
            yield code[:position] + b + a + code[position + 2 :]


def test_new_codes_are_sixteen_characters_of_the_alphabet_and_valid():
    """S-CERT-2: every code the service draws passes its own check."""
    drawn = [codes.new_code() for _ in range(500)]

    assert {len(code) for code in drawn} == {LENGTH}
    assert set("".join(drawn)) <= set(ALPHABET)
    assert [normalise(code) for code in drawn] == drawn
    assert len(set(drawn)) == len(drawn)


def test_the_alphabet_has_no_zero_o_one_or_i():
    """DESIGN.md § Documents: easy to read aloud, no 0/O, 1/I."""
    assert set("0O1I") & set(ALPHABET) == set()
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert set(ALPHABET) <= set(string.ascii_uppercase + string.digits)


def test_a_code_with_a_confusable_character_is_not_a_code():
    """S-CERT-2: an O typed for a Q (or 0, 1, I anywhere) is refused, not guessed at."""
    for confusable in "0O1Io":
        typed = CODE[:3] + confusable + CODE[4:]
        assert normalise(typed) is None, typed


def test_display_groups_in_fours_and_reads_back_in_any_case_and_spacing():
    """S-CERT-2: ABCD-EFGH-JKLM-NPQR on paper; typed back lower case, spaced or run together."""
    shown = display(CODE)
    written = [
        shown,
        shown.lower(),
        shown.replace("-", " "),
        shown.replace("-", ""),
        shown.lower().replace("-", " - "),
        f"  {shown}  ",
        " ".join(CODE.lower()),
    ]

    assert shown == "-".join([CODE[0:4], CODE[4:8], CODE[8:12], CODE[12:16]])
    assert [normalise(text) for text in written] == [CODE] * len(written)


def test_wrong_lengths_and_empty_input_are_not_codes():
    assert normalise("") is None
    assert normalise(None) is None
    assert normalise(CODE[:-1]) is None
    assert normalise(CODE + "A") is None
    assert normalise(CODE[:8] + "/" + CODE[8:]) is None


def test_every_single_character_substitution_of_a_code_is_rejected():
    """S-CERT-2: one mistyped character never finds someone else's certificate (exhaustive:
    every position, every other character of the alphabet)."""
    variants = list(substitutions(CODE))

    assert len(variants) == LENGTH * (len(ALPHABET) - 1)
    assert [v for v in variants if normalise(v) is not None] == []


def test_swapped_neighbours_are_nearly_always_rejected():
    """S-CERT-2: Luhn mod N catches swapped neighbours except one pair of characters; measured
    over many codes, at least 90 % of the swaps are refused."""
    swapped = [variant for _ in range(300) for variant in transpositions(codes.new_code())]
    rejected = sum(normalise(variant) is None for variant in swapped)

    assert len(swapped) > 3000
    assert rejected / len(swapped) >= 0.9


@given(valid_codes)
def test_property_display_then_normalise_is_the_code(code):
    assert normalise(display(code)) == code
    assert normalise(display(code).lower()) == code


@given(valid_codes, st.lists(separators, min_size=LENGTH + 1, max_size=LENGTH + 1), st.booleans())
def test_property_separators_and_case_do_not_matter(code, seps, lower):
    """Whatever a person puts between the characters (spaces, dashes), in either case."""
    typed = "".join(sep + char for sep, char in zip(seps, code, strict=False)) + seps[-1]
    typed = typed.lower() if lower else typed

    assert normalise(typed) == code


@given(bodies)
def test_property_the_check_character_makes_any_body_valid(body):
    assert normalise(body + check_character(body)) == body + check_character(body)


@given(valid_codes, st.integers(0, LENGTH - 1), st.sampled_from(ALPHABET))
def test_property_one_substitution_is_rejected(code, position, char):
    typed = code[:position] + char + code[position + 1 :]

    assert (normalise(typed) is None) == (typed != code)


@given(st.text(max_size=40))
def test_property_anything_accepted_is_a_valid_code_of_the_alphabet(text):
    """Whatever anyone types into the public page, normalise answers None or a code that passes
    the check: never something the database would be asked about in vain."""
    code = normalise(text)

    assert code is None or (
        len(code) == LENGTH
        and set(code) <= set(ALPHABET)
        and check_character(code[:-1]) == code[-1]
    )
