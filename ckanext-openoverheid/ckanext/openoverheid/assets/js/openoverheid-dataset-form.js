/* The dataset form's error summary and its confirmations.
 *
 * openoverheid-error-summary (on the summary above a rejected form): moves the focus to the summary when
 * the page opens, so that keyboard and screen-reader users learn at once what to correct; a link in it
 * moves the focus to its field, or to the first control inside it when the target is a group (the Woo
 * grounds' fieldset), since a fieldset cannot hold the focus itself.
 *
 * openoverheid-confirm (on a submit button): asks the browser's own confirmation before a step that is
 * easily taken by mistake ("Back to draft"); without JavaScript the explanation next to it is the warning.
 */
this.ckan.module('openoverheid-error-summary', function ($) {
  'use strict';

  var FOCUSABLE = 'input:not([type=hidden]), select, textarea, button, a[href]';

  return {
    initialize: function () {
      $.proxyAll(this, /_on/);
      this.el.on('click', 'a[href^="#"]', this._onLinkClick);
      this._describeInvalidControls();
      this.el[0].focus();
    },

    // CKAN writes the message under a field but does not tie it to the control: a screen reader on the
    // field would not hear it. Each control with a message gets aria-invalid and the message as its
    // description (a group that already names its message, the Woo grounds, is left as it is).
    _describeInvalidControls: function () {
      this.el.closest('form').find('.error-block').each(function (index) {
        var message = this;
        if (!message.id) {
          message.id = 'openoverheid-field-error-' + index;
        }
        var describedBy = function (element) {
          return (element.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
        };
        var inGroup = $(message).closest('fieldset').filter(function () {
          return describedBy(this).indexOf(message.id) !== -1;
        });
        var control = $(message).closest('.form-group').find(FOCUSABLE).not('button, a').first();
        if (inGroup.length || !control.length) {
          return;
        }
        var ids = describedBy(control[0]);
        if (ids.indexOf(message.id) === -1) {
          ids.push(message.id);
        }
        control.attr({'aria-invalid': 'true', 'aria-describedby': ids.join(' ')});
      });
    },

    _onLinkClick: function (event) {
      var target = document.getElementById(this._targetId(event.currentTarget));
      if (!target) {
        return;
      }
      event.preventDefault();
      var control = $(target).is(FOCUSABLE) ? target : $(target).find(FOCUSABLE).get(0);
      (control || target).scrollIntoView({block: 'center'});
      if (control) {
        control.focus();
      }
    },

    _targetId: function (link) {
      return decodeURIComponent(link.getAttribute('href').slice(1));
    }
  };
});

this.ckan.module('openoverheid-confirm', function ($) {
  'use strict';

  return {
    options: {
      question: ''
    },

    initialize: function () {
      $.proxyAll(this, /_on/);
      this.el.on('click', this._onClick);
    },

    _onClick: function (event) {
      if (this.options.question && !window.confirm(this.options.question)) {
        event.preventDefault();
      }
    }
  };
});

/* openoverheid-name-comboboxes (on an element after the form's fields): CKAN's tag and theme fields are
 * Select2 widgets whose combobox has no accessible name; they get the label of the field they replace.
 * Modules start in page order, so the widgets exist by the time this one starts.
 */
this.ckan.module('openoverheid-name-comboboxes', function ($) {
  'use strict';

  return {
    initialize: function () {
      $(this.el).closest('form').find('.select2-container').each(function () {
        var original = $(this).prev('input, select').get(0);
        var label = original && original.id ? document.querySelector('label[for="' + original.id + '"]') : null;
        if (!label) {
          return;
        }
        if (!label.id) {
          label.id = original.id + '-label';
        }
        $(this).find('.select2-selection, .select2-search__field').each(function () {
          if (!this.getAttribute('aria-label') && !this.getAttribute('aria-labelledby')) {
            this.setAttribute('aria-labelledby', label.id);
          }
        });
      });
    }
  };
});
