"""A logging filter that keeps identity numbers out of every log line (security baseline)."""

import logging

from people.identity import mask


class MaskIdentityNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
