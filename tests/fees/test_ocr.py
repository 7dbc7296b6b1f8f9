"""OCR references (#15 build point 1): Luhn check digit, so a mistyped reference is caught."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fees import ocr


def test_known_reference_has_the_bank_giro_check_digit():
    # 1234567 → Luhn digit 4 (the example of Bankgirot's OCR guide, without length digit).
    assert ocr.check_digit("1234567") == "4"
    assert ocr.is_valid("12345674")
    assert not ocr.is_valid("12345675")


def test_invoice_number_becomes_eight_digits_with_check_digit():
    assert ocr.for_invoice(1) == "00000018"
    assert ocr.is_valid(ocr.for_invoice(1))


def test_spaces_and_dashes_are_not_part_of_the_reference():
    assert ocr.normalise(" 0000 0018-") == "00000018"


def test_letters_are_never_a_valid_reference():
    assert not ocr.is_valid("0000001A")
    assert not ocr.is_valid("")


# A busy machine must not fail these: what they check does not depend on speed.
quick = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@quick
@given(st.integers(min_value=1, max_value=10**9), st.data())
def test_one_wrong_digit_is_always_detected(number, data):
    reference = ocr.for_invoice(number)
    place = data.draw(st.integers(min_value=0, max_value=len(reference) - 1))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != reference[place]]))
    assert not ocr.is_valid(reference[:place] + wrong + reference[place + 1 :])


@quick
@given(st.integers(min_value=1, max_value=10**9), st.data())
def test_two_swapped_neighbours_are_detected_unless_0_and_9(number, data):
    reference = ocr.for_invoice(number)
    place = data.draw(st.integers(min_value=0, max_value=len(reference) - 2))
    a, b = reference[place], reference[place + 1]
    swapped = reference[:place] + b + a + reference[place + 2 :]
    if a != b and {a, b} != {"0", "9"}:
        assert not ocr.is_valid(swapped)
