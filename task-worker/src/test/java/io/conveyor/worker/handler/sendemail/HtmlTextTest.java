package io.conveyor.worker.handler.sendemail;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The text part derived from HTML: tags out, lines where blocks end, links keep their address. Pure. */
class HtmlTextTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "<p>One</p><p>Two</p>                                    | One\\n\\nTwo",
                "a<br>b<br/>c                                            | a\\nb\\nc",
                "<b>bold</b> and <i>it</i>alic                           | bold and italic",
                "<a href='https://x.test/a'>here</a>                     | here (https://x.test/a)",
                "<a href=\"https://x.test/a\">https://x.test/a</a>       | https://x.test/a",
                "<head><title>T</title><style>p{}</style></head>Body     | Body",
                "x<script>alert(1)</script>y<!-- note -->z               | xyz",
                "&lt;tag&gt; &amp; &quot;q&quot; &#65;&#x42; &nbsp;end   | <tag> & \"q\" AB end",
                "&unknown; &#0;                                          | &unknown; \uFFFD",
                "<ul><li>a</li><li>b</li></ul>                           | a\\nb",
                "  lots   of \t space  <div></div><div></div>  <p></p>next | lots of space\\n\\nnext",
            })
    void derivesPlainText(String html, String text) {
        assertEquals(text.replace("\\n", "\n"), HtmlText.of(html));
    }
}
