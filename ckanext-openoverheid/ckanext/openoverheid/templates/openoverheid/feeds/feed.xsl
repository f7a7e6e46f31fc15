<?xml version="1.0" encoding="UTF-8"?>
{#- Shows an RSS 2.0 or Atom 1.0 feed of the portal as a page when a browser opens it (feeds/stylesheet.py).
    XSLT 1.0, no scripts, nothing loaded from elsewhere. -#}
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
  <xsl:variable name="self" select="(/rss/channel/atom:link[@rel='self'] | /atom:feed/atom:link[@rel='self'])/@href"/>
  <xsl:variable name="page" select="/rss/channel/link | /atom:feed/atom:link[@rel='alternate']/@href"/>

  <xsl:template match="/">
    <html lang="{{ h.lang() or 'nl' }}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/></title>
        <style>
          body { font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; background: #fff;
                 margin: 0 auto; max-width: 46rem; padding: 1rem; }
          a { color: #00578a; } a:focus { outline: 3px solid #ffbf47; }
          .feed-about { background: #f3f6f9; border-left: 4px solid #00578a; padding: 0.5rem 1rem; }
          .feed-address { display: block; overflow-wrap: anywhere; background: #fff; padding: 0.25rem; }
          ol { padding-left: 1.25rem; } li { margin-bottom: 1rem; }
          .feed-date { color: #4a4a4a; font-size: 0.9rem; }
        </style>
      </head>
      <body>
        <main>
          <h1><xsl:value-of select="$title"/></h1>
          <p><xsl:value-of select="/rss/channel/description | /atom:feed/atom:subtitle"/></p>
          <section class="feed-about" aria-labelledby="feed-about-title">
            <h2 id="feed-about-title">{{ _('This is a news feed') }}</h2>
            <p>{{ _('A feed tells you about new and changed items without you having to come back to this site. This page is what a browser shows; a feed reader shows the same items as messages.') }}</p>
            <p>{{ _('To subscribe, copy this address into a feed reader or into an app or mail program that reads RSS or Atom feeds:') }}</p>
            <code class="feed-address"><xsl:value-of select="$self"/></code>
            <p>
              <a href="{$page}">{{ _('Back to the page this feed follows') }}</a>
              ·
              <a href="{{ h.url_for('openoverheid_developers.index') }}#feeds">{{ _('All feeds of this portal') }}</a>
            </p>
          </section>
          <h2>{{ _('Latest items') }}</h2>
          <xsl:choose>
            <xsl:when test="/rss/channel/item | /atom:feed/atom:entry">
              <ol>
                <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
              </ol>
            </xsl:when>
            <xsl:otherwise><p>{{ _('This feed has no items right now.') }}</p></xsl:otherwise>
          </xsl:choose>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <li>
      <a href="{link}"><xsl:value-of select="title"/></a>
      <div class="feed-date">
        <xsl:call-template name="date">
          <xsl:with-param name="day" select="number(substring(pubDate, 6, 2))"/>
          <xsl:with-param name="month"
              select="string-length(substring-before('JanFebMarAprMayJunJulAugSepOctNovDec', substring(pubDate, 9, 3))) div 3 + 1"/>
          <xsl:with-param name="year" select="substring(pubDate, 13, 4)"/>
        </xsl:call-template>
      </div>
      <p><xsl:value-of select="description"/></p>
    </li>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li>
      {#- feedgen writes an entry's link without its rel: in Atom that means rel="alternate" #}
      <a href="{atom:link[not(@rel) or @rel='alternate'][1]/@href}"><xsl:value-of select="atom:title"/></a>
      <div class="feed-date">
        <xsl:call-template name="date">
          <xsl:with-param name="day" select="number(substring(atom:updated, 9, 2))"/>
          <xsl:with-param name="month" select="number(substring(atom:updated, 6, 2))"/>
          <xsl:with-param name="year" select="substring(atom:updated, 1, 4)"/>
        </xsl:call-template>
      </div>
      <p><xsl:value-of select="atom:summary"/></p>
    </li>
  </xsl:template>

  <!-- A date as people write it in the page's language ("6 december 2026"): RSS gives RFC 822 dates
       ("Sun, 06 Dec 2026 …"), Atom ISO 8601 ones. -->
  <xsl:template name="date">
    <xsl:param name="day"/>
    <xsl:param name="month"/>
    <xsl:param name="year"/>
    <xsl:value-of select="$day"/>
    <xsl:text> </xsl:text>
    <xsl:choose>
      {%- for name in month_names %}
      <xsl:when test="$month = {{ loop.index }}">{{ name }}</xsl:when>
      {%- endfor %}
    </xsl:choose>
    <xsl:text> </xsl:text>
    <xsl:value-of select="$year"/>
  </xsl:template>
</xsl:stylesheet>
