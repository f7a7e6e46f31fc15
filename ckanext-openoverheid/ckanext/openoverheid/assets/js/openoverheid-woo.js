/* "Open, tenzij" in the dataset form: show the Woo fields (grounds, motivation, review date) only when
 * the access-rights select holds a closed choice.
 *
 * Progressive enhancement: the server renders the fieldset visible, so without JavaScript every field
 * is shown. This module (on the select, see openoverheid_access_rights.html) hides the fieldset while
 * the choice is `publiek`, never while a field in it has an error, and tells screen-reader users what
 * changed through the status element the select's aria-describedby points to. The select's
 * aria-controls names the fieldset; aria-expanded is left to the browser, which owns it on a native
 * select (it describes the option list, not our fieldset).
 */
this.ckan.module('openoverheid-woo', function ($) {
  'use strict';

  return {
    options: {
      target: 'openoverheid-woo-fields'
    },

    initialize: function () {
      $.proxyAll(this, /_on/);
      this.fieldset = $('#' + this.options.target);
      this.status = $('#' + this.options.target + '-status');
      if (!this.fieldset.length) {
        return;
      }
      this.el.on('change', this._onChange);
      this._update(false);
    },

    _isClosed: function () {
      var value = this.el.val();
      return Boolean(value) && value !== 'publiek';
    },

    _hasErrors: function () {
      return this.fieldset.find('.error-block, .error').length > 0;
    },

    _update: function (announce) {
      var show = this._isClosed() || this._hasErrors();
      this.fieldset.prop('hidden', !show);
      if (announce && this.status.length) {
        this.status.text(this.status.data(show ? 'text-shown' : 'text-hidden'));
      }
    },

    _onChange: function () {
      // focus stays on the select; the fieldset follows it in reading order
      this._update(true);
    }
  };
});
