import sys

from reflect_bot.cli import main

sys.exit(main())
